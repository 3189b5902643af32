using Xunit;

namespace Build.Tests.Reporting;

/// <summary>A fact that is skipped, with the reason, when Debian's chromium (<see cref="Executable"/>) is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    /// <summary>The browser the report tests drive (Debian's <c>chromium</c> package; never a downloaded build).</summary>
    public const string Executable = "/usr/bin/chromium";

    /// <summary>Sets <see cref="FactAttribute.Skip"/> when the browser is missing.</summary>
    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable))
            Skip = $"{Executable} is not installed (apt-get install chromium): the report is not checked in a browser";
    }
}
