namespace Build.Settings;

/// <summary>
/// One build setting as the command line, the environment and <c>cake.config</c> name it: <c>--name=value</c>,
/// <c>CIP_NAME</c> (dashes become underscores) and <c>[Cip] Name</c> (dashes dropped, any case). Declared once, in
/// <see cref="BuildSettings"/>; read only through <see cref="SettingReader"/>.
/// </summary>
public abstract class SettingDeclaration
{
    /// <summary>The environment-variable prefix of build settings (<c>CIP_ENGINE</c>, ...).</summary>
    public const string EnvironmentPrefix = "CIP_";

    /// <summary>The <c>cake.config</c> section of build settings.</summary>
    public const string ConfigSection = "Cip";

    private protected SettingDeclaration(string name, string type, string defaultText, string help, string tasks)
    {
        Name = name;
        Type = type;
        DefaultText = defaultText;
        Help = help;
        Tasks = tasks;
    }

    /// <summary>The argument name without dashes, e.g. <c>engine</c>, <c>golden-archives</c>.</summary>
    public string Name { get; }

    /// <summary>What a value looks like, for help: <c>oci|docker</c>, <c>FILE</c>, <c>true|false</c>, <c>1..256</c>.</summary>
    public string Type { get; }

    /// <summary>The default as help shows it (may be a sentence, e.g. "a local registry").</summary>
    public string DefaultText { get; }

    /// <summary>One line of help.</summary>
    public string Help { get; }

    /// <summary>The tasks that read the setting, comma-separated (help and the README table).</summary>
    public string Tasks { get; }

    /// <summary>The environment variable, e.g. <c>CIP_GOLDEN_ARCHIVES</c>.</summary>
    public string EnvironmentVariable => EnvironmentPrefix + Name.Replace('-', '_').ToUpperInvariant();

    /// <summary>The <c>cake.config</c> key in the <c>[Cip]</c> section, e.g. <c>GoldenArchives</c> (keys match without regard to case).</summary>
    public string ConfigKey => string.Concat(Name.Split('-').Select(part => char.ToUpperInvariant(part[0]) + part[1..]));

    /// <summary>True for an on/off setting that a bare <c>--name</c> turns on.</summary>
    public abstract bool IsFlag { get; }

    /// <summary>The setting as a command-line argument with <paramref name="value"/>: <c>--name=value</c> (for job commands,
    /// so a renamed setting renames them).</summary>
    public string Argument(string value) => $"--{Name}={value}";

    /// <summary>The setting as a bare command-line flag, <c>--name</c>.</summary>
    /// <exception cref="InvalidOperationException">The setting is not a flag.</exception>
    public string FlagArgument() => IsFlag ? $"--{Name}" : throw new InvalidOperationException($"--{Name} is not a flag; give it a value.");

    /// <summary>Words that mark a setting's value as a credential, never shown.</summary>
    private static readonly string[] SecretWords = ["password", "passwd", "secret", "token", "credential", "auth", "apikey", "api-key"];

    /// <summary>True when the name says the value is a credential (<c>password</c>, <c>token</c>, <c>secret</c>, ...).</summary>
    public bool IsSecret => IsSecretName(Name);

    /// <summary>True when <paramref name="name"/> (of a setting or an argument) says its value is a credential.</summary>
    public static bool IsSecretName(string name) => SecretWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// <paramref name="text"/> as a log line or an error may show it: <c>***</c> for a secret setting; otherwise with any
    /// user-info (<c>user:password@</c> in a registry name, URL or list) replaced by <c>***@</c>. The one rule every
    /// display of a setting's value goes through.
    /// </summary>
    public string Shown(string text) => IsSecret ? "***" : Promoter.Oci.RegistryHost.Redact(text);
}
