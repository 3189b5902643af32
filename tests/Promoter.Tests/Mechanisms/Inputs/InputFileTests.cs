using System.Text;
using FluentAssertions;
using Promoter.Inputs;
using Promoter.Tests.Support;
using Xunit;

namespace Promoter.Tests.Inputs;

/// <summary>The input-file gate itself: what it accepts, its bound, and how it reads text.</summary>
public sealed class InputFileTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("promoter-inputfile-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void A_regular_file_and_a_link_to_one_have_no_problem()
    {
        var file = Write("a.yaml", "x: 1\n"u8.ToArray());
        var link = Path.Combine(_folder, "link.yaml");
        File.CreateSymbolicLink(link, "a.yaml");

        InputFile.Problem(file).Should().BeNull();
        InputFile.Problem(link).Should().BeNull();
        InputFile.ReadAllText(link).Should().Be("x: 1\n");
    }

    [Theory]
    [MemberData(nameof(SpecialFiles.Kinds), MemberType = typeof(SpecialFiles))]
    public void Problem_names_what_the_file_is_without_opening_it(string kind)
    {
        var path = SpecialFiles.Make(kind, Path.Combine(_folder, "input"));

        var problem = SpecialFiles.Refusal(() => InputFile.Check(path), _folder);

        problem.Should().BeOfType<InputFileException>().Which.Reason.Should().Be($"not a regular file ({SpecialFiles.Described(kind)})");
        ((InputFileException)problem).Path.Should().Be(path);
    }

    [Fact]
    public void The_bound_is_inclusive_and_a_file_one_byte_over_it_is_refused_with_both_sizes()
    {
        var exact = Write("exact", new byte[10]);
        var over = Write("over", new byte[11]);

        InputFile.ReadAllBytes(exact, 10).Should().HaveCount(10);
        var read = () => InputFile.ReadAllBytes(over, 10);
        read.Should().Throw<InputFileException>()
            .WithMessage($"{over}: is 11 bytes, over the bound of 10 bytes for this input; expected a smaller file");
    }

    [Fact]
    public void Text_is_utf8_unless_a_byte_order_mark_says_otherwise()
    {
        var utf8 = Write("utf8.yaml", [.. Encoding.UTF8.GetPreamble(), .. "name: café"u8.ToArray()]);
        var utf16 = Write("utf16.yaml", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("name: café")]);
        var bare = Write("bare.yaml", "name: café"u8.ToArray());

        InputFile.ReadAllText(utf8).Should().Be("name: café");
        InputFile.ReadAllText(utf16).Should().Be("name: café");
        InputFile.ReadAllText(bare).Should().Be("name: café");
    }

    [Fact]
    public void Sizes_in_messages_are_readable_and_exact()
    {
        InputFile.Size(512).Should().Be("512 bytes");
        InputFile.Size(16L * 1024 * 1024).Should().Be("16.0 MiB (16777216 bytes)");
        InputFile.Size(3L << 30).Should().Be("3.0 GiB (3221225472 bytes)");
    }

    [Fact]
    public void A_bound_beyond_what_memory_can_hold_is_a_programming_error()
    {
        var file = Write("small", [1]);
        var read = () => InputFile.ReadAllBytes(file, InputFile.MaxInMemoryBytes + 1);
        read.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Absent_means_nothing_at_all_not_even_a_dangling_link()
    {
        var link = Path.Combine(_folder, "dangling");
        File.CreateSymbolicLink(link, "nowhere");

        InputFile.IsAbsent(Path.Combine(_folder, "nothing")).Should().BeTrue();
        InputFile.IsAbsent(link).Should().BeFalse();
        InputFile.Problem(link).Should().Be("does not exist (a symbolic link to 'nowhere', which does not exist)");
    }
}
