using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Promoter.Tests.Support;

/// <summary>
/// A token server for tests, following distribution's token authentication spec (docs/spec/auth/token.md and jwt.md):
/// <c>GET /token?service=&amp;scope=</c> with Basic auth gives a JWT signed (RS256) by a self-signed certificate
/// carried in the <c>x5c</c> header. A real registry configured with that certificate as its root bundle verifies the
/// tokens. It grants every requested scope to the one known user and refuses everyone else.
/// </summary>
public sealed class TestTokenServer : LoopbackHttpServer
{
    /// <summary>The service name tokens are issued for (the registry's <c>auth.token.service</c>).</summary>
    public const string Service = "promoter-test-registry";

    /// <summary>The issuer tokens name (the registry's <c>auth.token.issuer</c>).</summary>
    public const string Issuer = "promoter-test-issuer";

    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private readonly string _user;
    private readonly string _password;

    /// <summary>Starts a token server on a free loopback port for <paramref name="user"/>, writing its signing certificate
    /// into <paramref name="folder"/>.</summary>
    public TestTokenServer(string user, string password, string folder)
    {
        _user = user;
        _password = password;
        var request = new CertificateRequest("CN=promoter test token signer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        CertificatePath = Path.Combine(folder, "token-signer.pem");
        File.WriteAllText(CertificatePath, _certificate.ExportCertificatePem());
        Realm = $"http://{Host}/token";
    }

    /// <summary>The token endpoint, <c>http://127.0.0.1:PORT/token</c>, for the registry's <c>auth.token.realm</c>.</summary>
    public string Realm { get; }

    /// <summary>The PEM file of the signing certificate, for the registry's <c>auth.token.rootcertbundle</c>.</summary>
    public string CertificatePath { get; }

    /// <summary>Each token request: the scopes asked for and whether it was granted.</summary>
    public ConcurrentQueue<(string Scopes, bool Granted)> Requests { get; } = new();

    /// <inheritdoc />
    protected override LoopbackAnswer Answer(LoopbackRequest request)
    {
        var scopes = request.Query("scope");
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_user}:{_password}"));
        var granted = request.Header("Authorization") == expected && request.Query("service").FirstOrDefault() == Service;
        Requests.Enqueue((string.Join(' ', scopes), granted));
        if (!granted) return LoopbackAnswer.Empty(401);
        return new LoopbackAnswer(200, JsonSerializer.SerializeToUtf8Bytes(new { token = Token(scopes), expires_in = 300 }), "application/json");
    }

    private string Token(IEnumerable<string> scopes)
    {
        var access = scopes.Select(scope =>
        {
            // type:name:actions, where the name may itself hold ':' (a registry host with port) - split at the ends.
            var first = scope.IndexOf(':');
            var last = scope.LastIndexOf(':');
            return new { type = scope[..first], name = scope[(first + 1)..last], actions = scope[(last + 1)..].Split(',') };
        }).ToArray();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new { typ = "JWT", alg = "RS256", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } };
        var claims = new { iss = Issuer, sub = _user, aud = Service, exp = now + 300, nbf = now - 60, iat = now - 60, jti = Guid.NewGuid().ToString("N"), access };
        var signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <inheritdoc />
    protected override void Disposed()
    {
        _certificate.Dispose();
        _key.Dispose();
    }
}
