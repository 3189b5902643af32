using Build.Settings;
using Build.Tests.Harness;
using FluentAssertions;
using Xunit;

namespace Build.Tests.Settings;

/// <summary>The transport's settings: <c>--retry-budget</c> durations and <c>--max-requests-per-second</c>.</summary>
public sealed class TransportSettingsTests
{
    [Theory]
    [InlineData("12m", 720)]
    [InlineData("90s", 90)]
    [InlineData("1h30m", 5400)]
    [InlineData("1m0.5s", 60.5)]
    [InlineData("2500ms", 2.5)]
    [InlineData("45", 45)]
    [InlineData("0", 0)]
    public void A_retry_budget_is_a_go_style_duration_or_seconds(string text, double seconds) =>
        SettingParsers.Duration(TimeSpan.Zero, TimeSpan.FromHours(24))(text).Should().Be(TimeSpan.FromSeconds(seconds));

    [Theory]
    [InlineData("soon")]
    [InlineData("12")]
    [InlineData("5 m")]
    [InlineData("1d")]
    [InlineData("25h")]
    [InlineData("-1s")]
    [InlineData("m")]
    public void A_bad_duration_says_what_was_expected(string text)
    {
        var parse = () => SettingParsers.Duration(TimeSpan.FromSeconds(30), TimeSpan.FromHours(24))(text);

        parse.Should().Throw<FormatException>().WithMessage($"expected a duration from 30s to 24h such as 90s, 12m or 1h30m, got '{text}'.");
    }

    [Theory]
    [InlineData("--retry-budget=soon", "retry-budget")]
    [InlineData("--max-requests-per-second=-1", "max-requests-per-second")]
    [InlineData("--max-requests-per-second=fast", "max-requests-per-second")]
    public void A_bad_transport_setting_is_refused_naming_it(string argument, string setting)
    {
        var result = BuildProgram.Run("--target", "Promote", "--snapshot=127.0.0.1:1/x", argument);

        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain(setting);
    }
}
