namespace Promoter.Tests.Support;

/// <summary>Real executables written by tests: shell scripts standing in for credential helpers and CLIs.</summary>
public static class Executables
{
    /// <summary>Writes <paramref name="body"/> as the executable shell script <paramref name="folder"/>/<paramref name="name"/>.</summary>
    public static string Script(string folder, string name, string body)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    /// <summary>Writes <c>docker-credential-NAME</c>, a helper answering <paramref name="user"/> and <paramref name="secret"/>
    /// for every server URL and appending "ARGS SERVER" to <c>NAME.log</c> beside it at each run.</summary>
    public static string CredentialHelper(string folder, string name, string user, string secret) =>
        Script(folder, "docker-credential-" + name, $$"""
            server=$(cat)
            echo "$1 $server" >> "{{folder}}/{{name}}.log"
            printf '{"ServerURL":"%s","Username":"{{user}}","Secret":"{{secret}}"}' "$server"
            """);

    /// <summary>The lines <see cref="CredentialHelper"/> <paramref name="name"/> logged (empty when it never ran).</summary>
    public static string[] Runs(string folder, string name) =>
        File.Exists(Path.Combine(folder, name + ".log")) ? File.ReadAllLines(Path.Combine(folder, name + ".log")) : [];
}
