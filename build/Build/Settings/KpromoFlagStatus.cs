namespace Build.Settings;

/// <summary>Whether this project does what one of kpromo's <c>cip</c> flags does.</summary>
public enum KpromoFlagStatus
{
    /// <summary>Implemented with kpromo's name and meaning (the note says where it differs).</summary>
    Implemented,
    /// <summary>Not implemented: the flag is refused with the note, never silently ignored.</summary>
    Rejected,
}
