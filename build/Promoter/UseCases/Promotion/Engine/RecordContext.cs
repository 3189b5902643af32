using Promoter.Attachments;

namespace Promoter.Promotion.Engine;

/// <summary>What a promotion record of one digest is made with, besides the edge.</summary>
/// <param name="SubjectMediaType">The promoted manifest's media type (the record's <c>subject.mediaType</c>).</param>
/// <param name="SubjectSize">The promoted manifest's size in bytes.</param>
/// <param name="Time">The record's <c>timestamp</c>.</param>
/// <param name="BuilderId">The record's <c>builderId</c> (<see cref="Provenance.BuilderId"/>).</param>
public sealed record RecordContext(string SubjectMediaType, long SubjectSize, DateTimeOffset Time, string BuilderId);
