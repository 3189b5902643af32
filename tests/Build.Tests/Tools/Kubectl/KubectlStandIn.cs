using System.Text;

namespace Build.Tests.Tools.Kubectl;

/// <summary>
/// A <c>kubectl</c> stand-in on PATH, as Cake addins' tests fake a tool at its boundary: a bash script that records its
/// argv (one call a line, arguments separated by a tab) and answers with replies a test recorded in the shape real kubectl
/// gives (standard output, standard error, exit code), chosen by the subcommand and how often it was called
/// (<c>wait.1</c>, <c>wait.2</c>, ... else <c>wait</c>; <c>logs.POD</c> for logs). <c>kustomize</c> runs the real kubectl,
/// which works offline. No API server is involved: this is the boundary the tests can reach here. A run of the build
/// program sees it through <see cref="Variables"/> (this process's environment is left alone).
/// </summary>
internal sealed class KubectlStandIn : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("kubectl-standin-").FullName;

    private string Replies => Path.Combine(Folder, "replies");

    public KubectlStandIn()
    {
        var bin = Directory.CreateDirectory(Path.Combine(Folder, "bin")).FullName;
        Directory.CreateDirectory(Replies);
        var real = FindReal();
        var script = Path.Combine(bin, "kubectl");
        File.WriteAllText(script, $$"""
            #!/usr/bin/env bash
            # kubectl stand-in of a test: records argv, answers recorded replies; kustomize runs the real kubectl.
            set -u
            dir='{{Folder}}'
            (IFS=$'\t'; echo "$*") >> "$dir/calls"
            args=("$@"); i=0
            while ((i < ${#args[@]})); do
              case "${args[$i]}" in
                --kubeconfig|--context|--namespace) i=$((i + 2)) ;;
                --token=*) i=$((i + 1)) ;;
                *) break ;;
              esac
            done
            sub="${args[$i]:-}"
            if [[ "$sub" == kustomize ]]; then exec '{{real}}' "${args[@]:$i}"; fi
            key="$sub"
            [[ "$sub" == logs ]] && key="logs.${args[$((i + 1))]}"
            count=$(( $(cat "$dir/count.$key" 2>/dev/null || echo 0) + 1 )); echo "$count" > "$dir/count.$key"
            reply="$dir/replies/$key.$count"; [[ -e "$reply.code" ]] || reply="$dir/replies/$key"
            if [[ ! -e "$reply.code" ]]; then echo "kubectl stand-in: no reply recorded for '$key' (call $count)" >&2; exit 99; fi
            [[ -e "$reply.out" ]] && cat "$reply.out"
            [[ -e "$reply.err" ]] && cat "$reply.err" >&2
            exit "$(cat "$reply.code")"
            """.Replace("\r\n", "\n"));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Nothing may reach a real cluster: a kubeconfig whose only server is a closed loopback port.
        var config = Path.Combine(Folder, "kubeconfig");
        File.WriteAllText(config, """
            apiVersion: v1
            kind: Config
            clusters: [{name: none, cluster: {server: "https://127.0.0.1:9"}}]
            contexts: [{name: standin, context: {cluster: none, user: none}}]
            current-context: standin
            users: [{name: none, user: {}}]
            """);
        Variables = new Dictionary<string, string?>
        {
            ["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH"),
            ["KUBECONFIG"] = config,
        };
    }

    /// <summary>The environment variables a run of the build program needs to find the stand-in: PATH with its folder first and KUBECONFIG.</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; }

    /// <summary>Records the reply of call <paramref name="call"/> of <paramref name="key"/> (every call when null).</summary>
    public void Reply(string key, int exitCode, string output = "", string error = "", int? call = null)
    {
        var name = Path.Combine(Replies, call is null ? key : $"{key}.{call}");
        File.WriteAllText(name + ".out", output);
        File.WriteAllText(name + ".err", error);
        File.WriteAllText(name + ".code", exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Every call so far, each as its argument list.</summary>
    public IReadOnlyList<string[]> Calls =>
        File.Exists(Path.Combine(Folder, "calls"))
            ? File.ReadAllLines(Path.Combine(Folder, "calls"), Encoding.UTF8).Select(l => l.Split('\t')).ToList()
            : [];

    public void Dispose()
    {
        Directory.Delete(Folder, recursive: true);
    }

    private static string FindReal()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(folder, "kubectl");
            if (File.Exists(candidate) && !candidate.Contains("kubectl-standin-", StringComparison.Ordinal)) return candidate;
        }
        return "kubectl-not-installed";
    }
}
