namespace Promoter.Tests.Support;

/// <summary>
/// The digests the oci engine gives for the golden images, pinned once for every test that promotes, pushes or checks
/// them. They must match the e2e suites that pin the same digests: a change to the images or to the engine's manifests
/// changes them there and here together.
/// </summary>
public static class GoldenDigests
{
    /// <summary>The project's golden set (images/golden/golden.yaml; pinned by manifests/e2e/tests.yaml).</summary>
    public static class Project
    {
        /// <summary>golden-bar/bar:1.0.</summary>
        public const string Bar = "sha256:fffee9412bc1dfafab09b7dba7772595a985c7d89f1889cd37d53decd4d49234";

        /// <summary>golden-foo/foo:1.0, the manifest list of the three platform images.</summary>
        public const string FooList = "sha256:c468db675d48aac93bad9258fb5fd9fbb3615f204bbe60bb770c1a069240e1ed";

        /// <summary>golden-foo/foo:1.0-linux_amd64.</summary>
        public const string FooAmd64 = "sha256:517bcc5ed5196d0d23b700983f51c11acad35f005e961fc66e325c05766354f4";

        /// <summary>golden-foo/foo:1.0-linux_s390x.</summary>
        public const string FooS390x = "sha256:b49863234f27a8320b8fcbdfb2705a5bbee36f151fa35ec0f0058b3709961b47";

        /// <summary>golden-foo/foo:1.0-linux_arm64.</summary>
        public const string FooArm64 = "sha256:b1080bf8f2f0cad8e52b748a33c241d23a369ac2378e946b2e3dd1ae0a3f21df";

        /// <summary>golden-foo/foo's image pushed by digest only (NOTAG-0 in its archive).</summary>
        public const string FooTagless = "sha256:15e11c253c4e7ba99aca2126680a52d5d22a25a250a96468558b515e27150f60";
    }

    /// <summary>Upstream CIP's golden archives (images/golden/upstream; pinned by manifests/e2e/upstream-oci/tests.yaml).</summary>
    public static class Upstream
    {
        /// <summary>golden-bar/bar:1.0.</summary>
        public const string Bar = "sha256:07bfc230fa73bcfaba222d81e4d4f8bacf9825bcf1f72275424232d0e247b697";

        /// <summary>golden-foo/foo:1.0, the manifest list of the two platform images.</summary>
        public const string FooList = "sha256:ca632b891781eb375f44f70d2ed6d39ff550072ad5df3e14bcb825bf46c1673a";

        /// <summary>golden-foo/foo:1.0-linux_amd64.</summary>
        public const string FooAmd64 = "sha256:11e340ab5646d65cb29093b59c7d1cd83dec752e3e4894e4ca2ba445d454a471";

        /// <summary>golden-foo/foo:1.0-linux_s390x.</summary>
        public const string FooS390x = "sha256:2208e21376de1c23e13e8680d697d369d62f202040657f3e2a8c29440eb24828";

        /// <summary>golden-foo/foo's image pushed by digest only.</summary>
        public const string FooTagless = "sha256:a01b3cdab3abec522200f925d7a89d497460f2240e8dbf2a11dfd3274c9de938";
    }
}
