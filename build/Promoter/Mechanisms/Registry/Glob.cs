namespace Promoter.Registry;

/// <summary>Shell-style globs over host names: <c>*</c> any run of characters (dots included), <c>?</c> exactly one.</summary>
public static class Glob
{
    /// <summary>True when <paramref name="text"/> matches <paramref name="pattern"/> whole (ordinal; callers lower-case both).</summary>
    public static bool Matches(string pattern, string text)
    {
        // Iterative match with one backtrack point (the last '*'): linear for hosts, no recursion.
        int p = 0, t = 0, star = -1, resume = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == text[t]))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++resume;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }
}
