using System.Text;
using FluentAssertions;
using Promoter.Registry;
using Xunit;

namespace Promoter.Tests.Registry;

public sealed class DockerConfigTests
{
    private static string B64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Reads_auth_username_password_and_identity_token_entries()
    {
        var json = $$"""
            {
              "auths": {
                "127.0.0.1:5000": { "auth": "{{B64("ci:pa:ss")}}" },
                "https://index.docker.io/v1/": { "username": "hub-user", "password": "hub-pass" },
                "gcr.io": { "identitytoken": "refresh-me" },
                "helper.example": {}
              },
              "credsStore": "desktop"
            }
            """;

        var config = DockerConfig.Parse(json, "config.json");

        var local = config.Find("127.0.0.1:5000")!;
        local.Username.Should().Be("ci");
        local.Password.Should().Be("pa:ss");
        local.IdentityToken.Should().BeNull();
        var hub = config.Find("docker.io")!;
        hub.Username.Should().Be("hub-user");
        hub.Password.Should().Be("hub-pass");
        config.Find("GCR.IO")!.IdentityToken.Should().Be("refresh-me");
        config.Find("helper.example").Should().BeNull();
        config.Find("127.0.0.1:5001").Should().BeNull();
        config.Hosts.Should().BeEquivalentTo("127.0.0.1:5000", "index.docker.io", "gcr.io");
    }

    [Fact]
    public void Reads_credHelpers_by_host_and_credsStore_without_running_them()
    {
        var config = DockerConfig.Parse("""
            {"credHelpers": {"https://us.gcr.io/v2/": "gcloud", "127.0.0.1:5000": "test"}, "credsStore": "desktop"}
            """, "config.json");

        config.CredentialHelpers.Should().BeEquivalentTo(new Dictionary<string, string> { ["us.gcr.io"] = "gcloud", ["127.0.0.1:5000"] = "test" });
        config.CredentialStore.Should().Be("desktop");
        DockerConfig.Parse("{\"credsStore\": \"\"}", "config.json").CredentialStore.Should().BeNull("docker treats an empty store as none");
        new DockerKeychain(config).Helpers.Select(h => h.Executable)
            .Should().BeEquivalentTo("docker-credential-gcloud", "docker-credential-test", "docker-credential-desktop");
    }

    [Fact]
    public void Secrets_never_appear_in_text()
    {
        var credential = new RegistryCredential("ci", "hunter2");
        credential.ToString().Should().Be("user 'ci' (password)");
        new RegistryCredential("ci", null, "tok-123").ToString().Should().Be("user 'ci' (identity token)");

        var bad = () => DockerConfig.Parse("{\"auths\":{\"r.example\":{\"auth\":\"" + B64("no-colon-hunter2") + "\"}}}", "/home/ci/.docker/config.json");
        bad.Should().Throw<FormatException>()
            .Which.Message.Should().Contain("/home/ci/.docker/config.json").And.Contain("r.example").And.NotContain("hunter2");
    }

    [Theory]
    [InlineData("{\"auths\": [1]}", "'auths' must be an object")]
    [InlineData("{\"auths\": {\"r.example\": {\"auth\": \"%%%\"}}}", "auths[\"r.example\"].auth is not base64")]
    [InlineData("{\"auths\": ", "not valid JSON")]
    [InlineData("{\"credHelpers\": [\"gcloud\"]}", "'credHelpers' must be an object")]
    [InlineData("{\"credHelpers\": {\"gcr.io\": \"../../bin/evil\"}}", "credHelpers[\"gcr.io\"] must be a credential helper name")]
    [InlineData("{\"credsStore\": 7}", "credsStore must be a credential helper name")]
    public void Malformed_files_are_named_in_the_error(string json, string expected)
    {
        var parse = () => DockerConfig.Parse(json, "my-config.json");
        parse.Should().Throw<FormatException>().Which.Message.Should().Contain("my-config.json").And.Contain(expected);
    }

    [Fact]
    public void Default_path_follows_DOCKER_CONFIG_and_loads_from_it()
    {
        var folder = Directory.CreateTempSubdirectory("promoter-dockercfg-");
        var previous = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "config.json"),
                "{\"auths\":{\"http://registry.example:8443/\":{\"auth\":\"" + B64("u:p") + "\"}}}");
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", folder.FullName);

            DockerConfig.DefaultPath().Should().Be(Path.Combine(folder.FullName, "config.json"));
            var config = DockerConfig.LoadDefault();
            config.Find("registry.example:8443")!.Password.Should().Be("p");

            Environment.SetEnvironmentVariable("DOCKER_CONFIG", Path.Combine(folder.FullName, "missing"));
            DockerConfig.LoadDefault().Hosts.Should().BeEmpty();
        }
        finally
        {
            Environment.SetEnvironmentVariable("DOCKER_CONFIG", previous);
            folder.Delete(recursive: true);
        }
    }
}
