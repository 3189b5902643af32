namespace Promoter.Attachments;

/// <summary>Why a cosign signature layer was not accepted (null when it was).</summary>
public sealed record SignatureProblem(string Reason);
