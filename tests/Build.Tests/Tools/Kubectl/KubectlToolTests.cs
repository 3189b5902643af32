using Build.Tools.Kubectl;
using Cake.Core;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Tools.Kubectl;

/// <summary>The kubectl tool's command line: global flags first, the token a secret that only the unsafe rendering holds.</summary>
public sealed class KubectlToolTests
{
    [Fact]
    public void Global_flags_come_first_and_the_token_is_redacted_in_the_safe_rendering()
    {
        var settings = new KubectlSettings { Kubeconfig = "/k/config", Context = "prod", Namespace = "cip-prod", Token = "s3cr3t-token" };

        var arguments = KubectlTool.Arguments("wait", settings, a => a.Append("--for=condition=complete").AppendQuoted("job/x"));

        arguments.Render().Should().Be("--kubeconfig \"/k/config\" --context \"prod\" --namespace \"cip-prod\" --token=\"s3cr3t-token\" wait --for=condition=complete \"job/x\"");
        arguments.RenderSafe().Should().NotContain("s3cr3t").And.Contain("--token=\"[REDACTED]\"");
    }

    [Fact]
    public void Without_settings_only_the_command_is_given()
    {
        KubectlTool.Arguments("kustomize", new KubectlSettings(), a => a.AppendQuoted("manifests/k8s/overlays/staging")).Render()
            .Should().Be("kustomize \"manifests/k8s/overlays/staging\"");
    }
}
