namespace Promoter.Registry;

/// <summary>
/// Credentials for one registry: a user name and password (used for HTTP Basic auth and for the token
/// request of the bearer flow) or an identity token (an OAuth2 refresh token, as <c>docker login</c> stores
/// it in <c>config.json</c>). <see cref="ToString"/> never shows the secret.
/// </summary>
public sealed class RegistryCredential
{
    /// <summary>Creates credentials; give a user name and password, or an identity token (with an optional user name).</summary>
    /// <exception cref="ArgumentException">Neither a password nor an identity token is given.</exception>
    public RegistryCredential(string? username, string? password, string? identityToken = null)
    {
        if (string.IsNullOrEmpty(password) && string.IsNullOrEmpty(identityToken))
            throw new ArgumentException("A registry credential needs a password or an identity token.");
        Username = username ?? "";
        Password = password;
        IdentityToken = identityToken;
    }

    /// <summary>The user name (empty when only an identity token is known).</summary>
    public string Username { get; }

    /// <summary>The password, or null when an identity token is used instead.</summary>
    public string? Password { get; }

    /// <summary>The identity (refresh) token, or null.</summary>
    public string? IdentityToken { get; }

    /// <summary>True when a user name and password are known (Basic auth is possible).</summary>
    public bool HasPassword => !string.IsNullOrEmpty(Password);

    /// <summary>The value of an <c>Authorization: Basic</c> header for this user name and password.</summary>
    /// <exception cref="InvalidOperationException">Only an identity token is known.</exception>
    internal string BasicHeaderValue() =>
        HasPassword
            ? Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Username}:{Password}"))
            : throw new InvalidOperationException("Basic auth needs a user name and password; only an identity token is known.");

    /// <summary>Describes the credential without its secret, e.g. <c>user 'ci' (password)</c>.</summary>
    public override string ToString() =>
        IdentityToken is not null ? $"user '{Username}' (identity token)" : $"user '{Username}' (password)";
}
