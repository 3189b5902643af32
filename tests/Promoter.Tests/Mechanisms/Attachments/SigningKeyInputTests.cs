using FluentAssertions;
using Promoter.Attachments;
using Promoter.Inputs;
using Promoter.Promotion.Engine;
using Promoter.Tests.Support;
using Xunit;
using Xunit.Sdk;

namespace Promoter.Tests.Attachments;

/// <summary>
/// The key files of <c>--signing-key</c>, <c>--signing-key-passphrase-file</c> and <c>--require-signature</c> pass the
/// input-file gate: a FIFO given as any of them is refused at once, naming the file, instead of blocking the open.
/// </summary>
public sealed class SigningKeyInputTests : IDisposable
{
    /// <summary>A refusal slower than this counts as a hang (the refusal itself is a stat call).</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    private readonly string _folder = Directory.CreateTempSubdirectory("promoter-signing-inputs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_fifo_as_the_signing_key_is_refused_at_once_naming_it()
    {
        var fifo = SpecialFiles.Fifo(Path.Combine(_folder, "key.pem"));

        var error = await RefusalAsync(() => SigningKeys.LoadSigner(fifo, passphrase: null), fifo);

        error.Should().BeOfType<SigningKeyException>().Which.Message.Should()
            .Be($"{fifo}: cannot read the signing key: not a regular file (a named pipe).");
        error.InnerException.Should().BeOfType<InputFileException>();
    }

    [Fact]
    public async Task A_fifo_as_the_passphrase_file_is_refused_at_once_naming_it()
    {
        var fifo = SpecialFiles.Fifo(Path.Combine(_folder, "passphrase.txt"));
        var key = Path.Combine(_folder, "key.enc.pem"); // never reached: the passphrase is read first

        var error = await RefusalAsync(() => SigningKeys.LoadSigner(key, fifo, passphraseVariable: null), fifo);

        error.Should().BeOfType<SigningKeyException>().Which.Message.Should()
            .Be($"{fifo}: cannot read the signing key's passphrase: not a regular file (a named pipe).");
    }

    [Fact]
    public async Task A_fifo_as_the_required_public_key_is_refused_at_once_naming_it()
    {
        var fifo = SpecialFiles.Fifo(Path.Combine(_folder, "cosign.pub"));

        var error = await RefusalAsync(() => SigningKeys.LoadVerifier(fifo), fifo);

        error.Should().BeOfType<SigningKeyException>().Which.Message.Should()
            .Be($"{fifo}: cannot read the public key: not a regular file (a named pipe).");
    }

    [Theory]
    [InlineData("signing-key")]
    [InlineData("signing-key-passphrase-file")]
    [InlineData("require-signature")]
    public async Task The_promotion_flags_refuse_a_fifo_the_same_way(string flag)
    {
        var fifo = SpecialFiles.Fifo(Path.Combine(_folder, $"{flag}.pem"));
        var key = Path.Combine(_folder, "key.pem");
        File.WriteAllText(key, "not read: the passphrase comes first");
        var arguments = flag switch
        {
            "signing-key" => new SigningArguments { Sign = true, SigningKey = fifo },
            "signing-key-passphrase-file" => new SigningArguments { Sign = true, SigningKey = key, PassphraseFile = fifo },
            _ => new SigningArguments { RequireSignature = fifo },
        };

        var error = await RefusalAsync(() => arguments.Apply(new PromotionPolicy()), fifo);

        error.Should().BeOfType<SigningKeyException>().Which.Message.Should()
            .StartWith($"{fifo}: cannot read the").And.EndWith(": not a regular file (a named pipe).");
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("")]
    public async Task A_passphrase_file_read_through_the_gate_still_gives_its_first_line(string lineBreak)
    {
        var key = await OpenSslKey.CreateAsync("passphrase-line");
        var file = Path.Combine(_folder, "passphrase.txt");
        File.WriteAllText(file, key.Passphrase + lineBreak + (lineBreak.Length > 0 ? "a second line that is not read\n" : ""));

        using var signer = SigningKeys.LoadSigner(key.PrivateEncrypted, file, passphraseVariable: null);

        signer.Verifier.Fingerprint.Should().Be(SigningKeys.LoadVerifier(key.Public).Fingerprint);
    }

    /// <summary>
    /// Runs <paramref name="load"/> off the test thread and returns what it threw. If it has not ended within
    /// <see cref="Limit"/> (blocked opening the FIFO), the FIFO is opened for writing so the blocked read ends, and the
    /// test fails instead of hanging.
    /// </summary>
    private static async Task<Exception> RefusalAsync(Func<object> load, string fifo)
    {
        var run = Task.Run(load);
        try
        {
            await run.WaitAsync(Limit);
        }
        catch (TimeoutException)
        {
            await Task.Run(() =>
            {
                using var writer = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            }).WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(_ => { });
            throw new XunitException($"{fifo} was not refused within {Limit.TotalSeconds:0} s (blocked opening the FIFO?)");
        }
        catch (Exception e)
        {
            return e;
        }
        throw new XunitException($"{fifo} was accepted, but it is a FIFO");
    }
}
