using Cake.Core;
using Cake.Core.IO;
using Cake.Core.Tooling;

namespace Build.Tools.OpenSsl;

/// <summary>
/// Runs the <c>openssl</c> CLI as a Cake tool (located through Cake's tool resolution: ToolPath, tools folder, PATH). One
/// command: <c>openssl dgst -sha256 -verify KEY.pem -signature SIG.der DATA</c>, which prints <c>Verified OK</c> and exits 0
/// for a valid ECDSA signature of the SHA-256 of DATA, and prints <c>Verification failure</c> and exits 1 otherwise
/// (openssl-dgst(1)).
/// </summary>
public sealed class OpenSslTool(IFileSystem fileSystem, ICakeEnvironment environment, IProcessRunner processRunner, IToolLocator tools)
    : Tool<OpenSslSettings>(fileSystem, environment, processRunner, tools)
{
    /// <inheritdoc />
    protected override string GetToolName() => "openssl";

    /// <inheritdoc />
    protected override IEnumerable<string> GetToolExecutableNames() => ["openssl", "openssl.exe"];

    /// <summary>
    /// Whether <paramref name="signatureDer"/> (ASN.1 DER) is a valid signature of <paramref name="data"/> for the PEM public
    /// key <paramref name="publicKeyFile"/>, as <c>openssl dgst -sha256 -verify</c> says. The data and signature go through
    /// files of a temporary folder, removed afterwards.
    /// </summary>
    /// <exception cref="CakeException">openssl is not found, or exits with a code other than 0 (verified) or 1 (not verified),
    /// e.g. an unreadable key; the message carries what openssl wrote.</exception>
    public bool VerifySha256(string publicKeyFile, byte[] data, byte[] signatureDer)
    {
        var folder = Directory.CreateTempSubdirectory("openssl-verify-").FullName;
        try
        {
            var dataFile = System.IO.Path.Combine(folder, "payload");
            var signatureFile = System.IO.Path.Combine(folder, "sig.der");
            File.WriteAllBytes(dataFile, data);
            File.WriteAllBytes(signatureFile, signatureDer);
            var arguments = new ProcessArgumentBuilder()
                .Append("dgst").Append("-sha256").Append("-verify").AppendQuoted(publicKeyFile)
                .Append("-signature").AppendQuoted(signatureFile).AppendQuoted(dataFile);
            var output = new List<string>();
            var exitCode = -1;
            var settings = new OpenSslSettings { HandleExitCode = _ => true };
            Run(settings, arguments, new ProcessSettings { RedirectStandardOutput = true, RedirectStandardError = true }, process =>
            {
                output.AddRange(process.GetStandardOutput());
                output.AddRange(process.GetStandardError());
                exitCode = process.GetExitCode();
            });
            var text = string.Join("\n", output.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => l.Trim()));
            return exitCode switch
            {
                0 when text.Contains("Verified OK", StringComparison.Ordinal) => true,
                1 when text.Contains("Verification failure", StringComparison.Ordinal) => false,
                _ => throw new CakeException(exitCode, $"openssl {arguments.Render()}: exit code {exitCode}: {text}"),
            };
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
