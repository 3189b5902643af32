using Cake.Core.Tooling;

namespace Build.Tools.OpenSsl;

/// <summary>Cake's tool settings for openssl (tool path and the like); openssl's own options are the command's.</summary>
public sealed class OpenSslSettings : ToolSettings;
