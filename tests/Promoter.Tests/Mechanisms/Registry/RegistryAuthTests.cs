using System.Net;
using FluentAssertions;
using Promoter.Registry;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Registry;

/// <summary>The bearer-token flow against a real registry configured for token auth, with a test token server.</summary>
public sealed class RegistryAuthTests
{
    [Fact]
    public async Task Token_flow_pushes_and_pulls_with_credentials_and_caches_tokens_per_scope()
    {
        var folder = Directory.CreateTempSubdirectory("promoter-token-");
        try
        {
            using var tokens = new TestTokenServer("robot", "s3cret-pass", folder.FullName);
            using var registry = await TestRegistry.StartAsync(new RegistryOptions { Token =
                new RegistryTokenAuth(tokens.Realm, TestTokenServer.Service, TestTokenServer.Issuer, tokens.CertificatePath) });

            // The registry itself enforces tokens: a bare request is challenged.
            using (var http = new HttpClient())
            using (var bare = await http.GetAsync($"http://{registry.Host}/v2/"))
            {
                bare.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
                bare.Headers.WwwAuthenticate.Should().ContainSingle(h => h.Scheme == "Bearer");
            }

            var log = new List<string>();
            using var client = registry.CreateClient(new RegistryClientOptions
            {
                Credential = new RegistryCredential("robot", "s3cret-pass"),
                Log = log.Add,
            });
            await client.PingAsync();
            var image = await TestImages.PushAsync(client, "secured/app", "1.0", "private layer");
            (await client.GetManifestAsync("secured/app", "1.0")).Bytes.Should().Equal(image.Manifest);
            (await client.GetManifestAsync("secured/app", image.Digest.Value)).Digest.Should().Be(image.Digest);
            (await client.ListRepositoriesAsync()).Should().Equal("secured/app");

            tokens.Requests.Should().OnlyContain(r => r.Granted);
            // One token per scope the client used (push, pull, catalog), not one per request.
            tokens.Requests.Select(r => r.Scopes).Should().OnlyHaveUniqueItems();
            tokens.Requests.Select(r => r.Scopes).Should().Contain(s => s.Contains("repository:secured/app:pull,push"));
            tokens.Requests.Select(r => r.Scopes).Should().Contain("registry:catalog:*");
            log.Should().NotContain(l => l.Contains("s3cret-pass"));
            client.ToString().Should().NotContain("s3cret-pass");

            using var anonymous = registry.CreateClient();
            var get = async () => await anonymous.GetManifestAsync("secured/app", "1.0");
            var noCredentials = (await get.Should().ThrowAsync<RegistryException>()).Which;
            noCredentials.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            noCredentials.Message.Should().Contain("no credentials were given");

            using var wrong = registry.CreateClient(new RegistryClientOptions { Credential = new RegistryCredential("robot", "wrong-guess") });
            var refused = async () => await wrong.PingAsync();
            var refusal = (await refused.Should().ThrowAsync<RegistryException>()).Which;
            refusal.Message.Should().Contain("refused the credentials of user 'robot'").And.NotContain("wrong-guess");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
