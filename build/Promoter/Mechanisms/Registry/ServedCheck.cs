namespace Promoter.Registry;

/// <summary>The outcome of a check of one blob or manifest.</summary>
/// <param name="State">Served, missing or broken.</param>
/// <param name="Problem">For <see cref="ServedState.Broken"/>: what is wrong, e.g. <c>HEAD answers 200 with 0 bytes, the descriptor says 1234</c>.</param>
public sealed record ServedCheck(ServedState State, string? Problem = null)
{
    /// <summary>The content is served correctly.</summary>
    public static ServedCheck Served { get; } = new(ServedState.Served);

    /// <summary>The content is absent (404).</summary>
    public static ServedCheck Missing { get; } = new(ServedState.Missing);

    /// <summary>The content is listed but not served correctly; <paramref name="problem"/> says how.</summary>
    public static ServedCheck Broken(string problem) => new(ServedState.Broken, problem);
}
