namespace Promoter.Registry;

/// <summary>
/// A parsed <c>WWW-Authenticate</c> challenge (RFC 7235 auth-param list), as the distribution token flow uses it:
/// <c>Bearer realm="https://auth.example/token",service="registry.example",scope="repository:foo:pull,push"</c>.
/// </summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Realm => Parameters.GetValueOrDefault("realm");
    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The scopes of the challenge (space-separated in the header), e.g. <c>repository:foo:pull,push</c>.</summary>
    public IReadOnlyList<string> Scopes =>
        Parameters.TryGetValue("scope", out var s) ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>Parses a scheme and its parameter text; quoted values may contain commas and escaped quotes.</summary>
    public static AuthChallenge Parse(string scheme, string? parameterText)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = parameterText ?? "";
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i]))) i++;
            var nameStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',') i++;
            var name = text[nameStart..i].Trim();
            if (i >= text.Length || text[i] != '=') { continue; }
            i++; // '='
            string value;
            if (i < text.Length && text[i] == '"')
            {
                i++;
                var sb = new System.Text.StringBuilder();
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length) i++;
                    sb.Append(text[i++]);
                }
                i++; // closing quote
                value = sb.ToString();
            }
            else
            {
                var valueStart = i;
                while (i < text.Length && text[i] != ',') i++;
                value = text[valueStart..i].Trim();
            }
            if (name.Length > 0) parameters[name] = value;
        }
        return new AuthChallenge(scheme, parameters);
    }
}
