namespace Promoter.Archives;

/// <summary>The header dialect a <see cref="DeterministicTarWriter"/> writes.</summary>
internal enum TarDialect
{
    /// <summary>GNU magic (<c>"ustar  \0"</c>), permission bits only in the mode field, archive padded to 10240-byte records
    /// (the shape of the layer tars of upstream CIP's test images).</summary>
    Gnu,

    /// <summary>POSIX ustar magic (<c>"ustar\0" "00"</c>), file-type bits included in the mode field, no record padding
    /// (the shape of the outer archives of upstream CIP's test images).</summary>
    Ustar,
}
