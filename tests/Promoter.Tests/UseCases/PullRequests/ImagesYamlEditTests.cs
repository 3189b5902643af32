using FluentAssertions;
using Promoter.PullRequests;
using Xunit;

namespace Promoter.Tests.PullRequests;

/// <summary>
/// The pure parts of a promotion pull request as decision tables: the text edit of <c>images.yaml</c> (old text, what is
/// asked, new text byte for byte), the refusal decision, and the title, branch and body. No registry, no git.
/// </summary>
[Trait("Category", "Decisions")]
public sealed class ImagesYamlEditTests
{
    private static readonly string A = "sha256:" + new string('a', 64), B = "sha256:" + new string('b', 64), C = "sha256:" + new string('c', 64);

    private static StagedImage S(string image, string digest, params string[] tags) => new(image, digest, tags);

    public static TheoryData<string, string, StagedImage[], string> Edits() => new()
    {
        { "a new image into an empty file: kpromo's block",
            "", [S("foo", A, "v1")],
            $"- name: foo\n  dmap:\n    \"{A}\": [\"v1\"]\n" },
        { "a new image sorts by name between two others; comments, quoting and spacing elsewhere kept",
            $"# header\n- name: a\n  dmap:\n    '{A}': [ v0 ]\n# about z\n- name: z\n  dmap:\n    \"{B}\": [\"1\",\"2\"] # kept\n",
            [S("m", C, "v2", "v1")],
            $"# header\n- name: a\n  dmap:\n    '{A}': [ v0 ]\n- name: m\n  dmap:\n    \"{C}\": [\"v1\", \"v2\"]\n# about z\n- name: z\n  dmap:\n    \"{B}\": [\"1\",\"2\"] # kept\n" },
        { "a new image after the last one, in a file without a final newline",
            $"- name: a\n  dmap:\n    \"{A}\": [\"v0\"]",
            [S("b", B, "v1")],
            $"- name: a\n  dmap:\n    \"{A}\": [\"v0\"]\n- name: b\n  dmap:\n    \"{B}\": [\"v1\"]\n" },
        { "a new digest of an existing image sorts by digest",
            $"- name: foo\n  dmap:\n    \"{A}\": [\"v0\"]\n    \"{C}\": [\"v2\"]\n",
            [S("foo", B, "v1")],
            $"- name: foo\n  dmap:\n    \"{A}\": [\"v0\"]\n    \"{B}\": [\"v1\"]\n    \"{C}\": [\"v2\"]\n" },
        { "a new tag on an existing digest goes into its line in tag order, with the line's separator",
            $"- name: foo\n  dmap:\n    \"{A}\": [\"v0\",\"v2\"]\n",
            [S("foo", A, "v1", "v3")],
            $"- name: foo\n  dmap:\n    \"{A}\": [\"v0\",\"v1\",\"v2\",\"v3\"]\n" },
        { "a tag onto a tagless digest",
            $"- name: foo\n  dmap:\n    \"{A}\": []\n",
            [S("foo", A, "v1")],
            $"- name: foo\n  dmap:\n    \"{A}\": [\"v1\"]\n" },
        { "CRLF line endings are kept, and the indentation of the file",
            $"-   name: foo\r\n    dmap:\r\n      \"{A}\": [\"v0\"]\r\n",
            [S("foo", B, "v1"), S("goo", C, "v1")],
            $"-   name: foo\r\n    dmap:\r\n      \"{A}\": [\"v0\"]\r\n      \"{B}\": [\"v1\"]\r\n-   name: goo\r\n    dmap:\r\n      \"{C}\": [\"v1\"]\r\n" },
        { "a tagless digest is a [] line",
            $"- name: foo\n  dmap:\n    \"{B}\": [\"v0\"]\n",
            [S("foo", A)],
            $"- name: foo\n  dmap:\n    \"{A}\": []\n    \"{B}\": [\"v0\"]\n" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void The_edit_touches_only_what_it_adds(string row, string before, StagedImage[] wanted, string after)
    {
        var result = ImagesYamlEdit.Apply(before, "images.yaml", wanted);

        result.Text.Should().Be(after, row);
        result.Refused.Should().BeEmpty(row);
        result.Diff.Should().StartWith("--- a/images.yaml\n+++ b/images.yaml\n@@ ", row);
    }

    public static TheoryData<string, string, StagedImage[], string[]> Decisions() => new()
    {
        { "absent tag: added", $"- name: foo\n  dmap:\n    \"{A}\": [\"v0\"]\n", [S("foo", B, "v1")], ["Add foo:v1"] },
        { "same tag on the same digest: already present", $"- name: foo\n  dmap:\n    \"{A}\": [\"v1\"]\n", [S("foo", A, "v1")], ["AlreadyPresent foo:v1"] },
        { "same tag on another digest: a tag move, refused", $"- name: foo\n  dmap:\n    \"{A}\": [\"v1\"]\n", [S("foo", B, "v1")], [$"RefusedTagMove foo:v1 was {A}"] },
        { "the tag of another image is no move", $"- name: bar\n  dmap:\n    \"{A}\": [\"v1\"]\n", [S("foo", B, "v1")], ["Add foo:v1"] },
        { "one present, one new", $"- name: foo\n  dmap:\n    \"{A}\": [\"v1\"]\n", [S("foo", A, "v1", "v2")], ["AlreadyPresent foo:v1", "Add foo:v2"] },
        { "a tagless digest already listed", $"- name: foo\n  dmap:\n    \"{A}\": [\"v1\"]\n", [S("foo", A)], ["AlreadyPresent foo:"] },
        { "the request itself puts one tag on two digests: the second is refused", "", [S("foo", A, "v1"), S("foo", B, "v1")], ["Add foo:v1", $"RefusedTagMove foo:v1 was {A}"] },
    };

    [Theory]
    [MemberData(nameof(Decisions))]
    public void Each_entry_is_added_already_present_or_refused(string row, string before, StagedImage[] wanted, string[] expected)
    {
        var result = ImagesYamlEdit.Apply(before, "images.yaml", wanted);

        result.Decisions.Select(d => $"{d.Kind} {d.Image}:{d.Tag}" + (d.ExistingDigest is null ? "" : $" was {d.ExistingDigest}"))
            .Should().Equal(expected, row);
        if (result.Refused.Count > 0 || result.Added.Count == 0)
            result.Text.Should().Be(before, "a refused or empty edit changes nothing");
    }

    [Fact]
    public void The_diff_is_a_unified_diff_with_three_lines_of_context()
    {
        var before = $"- name: a\n  dmap:\n    \"{A}\": [\"1\"]\n- name: b\n  dmap:\n    \"{A}\": [\"1\"]\n- name: c\n  dmap:\n    \"{A}\": [\"1\"]\n";

        var result = ImagesYamlEdit.Apply(before, "registry.k8s.io/images/p/images.yaml", [S("b", A, "2")]);

        result.Diff.Should().Be(
            "--- a/registry.k8s.io/images/p/images.yaml\n+++ b/registry.k8s.io/images/p/images.yaml\n" +
            "@@ -3,7 +3,7 @@\n" +
            $"     \"{A}\": [\"1\"]\n" +
            " - name: b\n   dmap:\n" +
            $"-    \"{A}\": [\"1\"]\n" +
            $"+    \"{A}\": [\"1\", \"2\"]\n" +
            " - name: c\n   dmap:\n" +
            $"     \"{A}\": [\"1\"]\n");
    }

    [Fact]
    public void An_entry_out_of_kpromos_layout_is_not_edited()
    {
        var before = $"- name: foo\n  dmap:\n    \"{A}\":\n    - v0\n";

        var act = () => ImagesYamlEdit.Apply(before, "images.yaml", [S("foo", B, "v1")]);

        act.Should().Throw<ImagesYamlLayoutException>().WithMessage("images.yaml:3: image 'foo': digest * is not in kpromo's layout*");
    }

    public static TheoryData<string, string, string[], string[], string, string> Titles() => new()
    {
        { "kpromo's title and branch", "cip-test", ["v1.2.3"], [], "Image promotion for cip-test v1.2.3", "cip-test-v1.2.3-image-promotion" },
        { "several tags: joined with ' / ', the branch takes the first", "foo", ["v1", "v2"], [], "Image promotion for foo v1 / v2", "foo-v1-image-promotion" },
        { "the kubernetes project is releng's", "kubernetes", ["v1.30.0"], [], "releng: Image promotion for kubernetes v1.30.0", "kubernetes-v1.30.0-image-promotion" },
        { "digests without tags: their short forms", "foo", [], [B], "Image promotion for foo bbbbbbbbbbbb", "foo-bbbbbbbbbbbb-image-promotion" },
    };

    [Theory]
    [MemberData(nameof(Titles))]
    public void Title_and_branch_are_kpromos(string row, string project, string[] tags, string[] digests, string title, string branch)
    {
        var subject = new PullRequestSubject(project, "gcr.io/x", tags, digests, [], [], []);

        PullRequestText.Title(subject).Should().Be(title, row);
        PullRequestText.Branch(project, tags, digests).Should().Be(branch, row);
    }

    [Fact]
    public void The_body_lists_image_tag_digest_and_staging_reference()
    {
        var subject = new PullRequestSubject("cip-test", "gcr.io/k8s-staging-cip-test", ["1.0"], [], ["golden-bar/bar"],
            [new EntryDecision("golden-bar/bar", A, "1.0", EntryDecisionKind.Add)], ["@kubernetes/release-engineering", "alice"]);

        PullRequestText.Body(subject).Should().Be(
            "Image promotion for cip-test 1.0\n" +
            "This is an automated PR generated by this project's `PromotionPR` target (what `kpromo pr` does).\n\n" +
            "| Image | Tag | Digest | Staging reference |\n|---|---|---|---|\n" +
            $"| golden-bar/bar | 1.0 | `{A}` | `gcr.io/k8s-staging-cip-test/golden-bar/bar@{A}` |\n\n" +
            "```\n./build.sh --target PromotionPR --project=cip-test --image=golden-bar/bar --tag=1.0\n```\n\n" +
            "/hold\ncc: @kubernetes/release-engineering alice\n");
    }

    [Theory]
    [InlineData("https://api.github.com", "https://github.com/kubernetes/k8s.io/compare/main...alice:b-1?expand=1")]
    [InlineData("https://ghe.example/api/v3/", "https://ghe.example/kubernetes/k8s.io/compare/main...alice:b-1?expand=1")]
    public void The_compare_url_is_on_the_web_address_of_the_api(string api, string expected) =>
        PullRequestText.CompareUrl(PullRequestText.WebAddress(new Uri(api)), "kubernetes/k8s.io", "main", "alice", "b-1").Should().Be(expected);
}
