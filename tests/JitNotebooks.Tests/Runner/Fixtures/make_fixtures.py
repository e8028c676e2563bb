# Regenerates the runner's fixture notebooks, then stores in some of them what the REAL kernel shows:
#   cd tests/JitNotebooks.Tests/Runner/Fixtures && /usr/bin/python3 make_fixtures.py [folder/name.ipynb ...]
# (only the named notebooks when some are named; --no-real-kernel skips the Jupyter step)
# (after `dotnet build` and `dotnet tool restore` in the repository root: notebooks here #r the
# course library from artifacts/, and Jupyter starts the pinned tool from .config/dotnet-tools.json).
#
# Folders: kernel/ (what the runner does with cells: outputs, order, errors), variants/ (notebooks
# shaped as people save them: VS Code, dotnet/csharp-notebooks, dotnet/interactive samples, plain
# Jupyter, old nbformat minors...), hostile/ (cells that hang, crash, flood), refused/ (files that are
# not .NET notebooks). Every notebook here is written by this script; none is copied from elsewhere.
#
# The notebooks in REAL_KERNEL are executed with `jupyter nbconvert --execute` and the .net-csharp
# kernel (the tool learners run), and their outputs and execution counts are stored in them; the
# runner's tests compare the runner's outputs with these. Nothing else in the file is taken from
# nbconvert (it would add ids and language_info, and the fixtures' shapes are the point).
import json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
LIBRARY = '#r "../../../../../artifacts/bin/JitNotebooks/debug/JitNotebooks.dll"'

# Metadata as each tool saves it.
COURSE = {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
          "language_info": {"name": "polyglot-notebook"},
          "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp",
                                               "items": [{"aliases": [], "languageName": "csharp", "name": "csharp"}]}}}
VSCODE = {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
          "language_info": {"name": "polyglot-notebook"},
          "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "name": "csharp"}]}}}
CSHARP_NOTEBOOKS = {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
                    "language_info": {"file_extension": ".cs", "mimetype": "text/x-csharp", "name": "C#",
                                      "pygments_lexer": "csharp", "version": "9.0"}}
SAMPLES = {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
           "language_info": {"file_extension": ".cs", "mimetype": "text/x-csharp", "name": "C#",
                             "pygments_lexer": "csharp", "version": "8.0"}}


def lines(src):
    out = src.split("\n")
    return [l + "\n" for l in out[:-1]] + ([out[-1]] if out[-1] else [])


def polyglot(kernel):
    return {"dotnet_interactive": {"language": kernel}, "polyglot_notebook": {"kernelName": kernel}}


def code(src, id=None, kernel="csharp", tags=None, meta=None, as_string=False):
    c = {"cell_type": "code", "execution_count": None,
         "metadata": dict(meta if meta is not None else (polyglot(kernel) if kernel else {})),
         "outputs": [], "source": src if as_string else lines(src)}
    if id: c["id"] = id
    if tags: c["metadata"]["tags"] = tags
    return c


def md(src, id=None, as_string=False, **extra):
    c = {"cell_type": "markdown", "metadata": {}, "source": src if as_string else lines(src), **extra}
    if id: c["id"] = id
    return c


def raw(src, id=None, meta=None):
    c = {"cell_type": "raw", "metadata": meta or {}, "source": lines(src)}
    if id: c["id"] = id
    return c


FORMATS = {}  # path -> how the file is laid out, kept when the real kernel's outputs are stored


def dump(path, notebook):
    indent, newline, sort_keys = FORMATS[path]
    text = json.dumps(notebook, indent=indent, sort_keys=sort_keys, ensure_ascii=False) + "\n"
    with open(os.path.join(HERE, path), "w", encoding="utf-8", newline="") as f:
        f.write(text.replace("\n", newline))


ONLY = [a for a in sys.argv[1:] if not a.startswith("--")]


def write(path, cells, metadata=COURSE, minor=5, indent=1, newline="\n", sort_keys=True):
    FORMATS[path] = (indent, newline, sort_keys)
    if ONLY and path not in ONLY:
        return
    os.makedirs(os.path.dirname(os.path.join(HERE, path)), exist_ok=True)
    dump(path, {"cells": cells, "metadata": metadata, "nbformat": 4, "nbformat_minor": minor})


REAL_KERNEL = []  # (path, Jupyter kernel name)


def real(path, kernel=".net-csharp"):
    REAL_KERNEL.append((path, kernel))
    return path


# ---------------------------------------------------------------------------------------------
# kernel/: what the runner shows for a cell, compared with the real kernel's outputs.
write(real("kernel/basics.ipynb"), [
    md("# Kernel basics\nVariables live from one cell to the next.", "intro"),
    code('var greeting = "Hello";\nint answer = 6 * 7;', "define"),
    code('var sb = new StringBuilder(greeting);\nsb.Append(", notebook");\nConsole.WriteLine(sb.ToString());\nanswer', "use"),
    code('display(new List<int> { 1, 2, 3 });\nConsole.Error.WriteLine("a warning on stderr");\nConsole.WriteLine("out 1");\n'
         'Console.Write("out ");\nConsole.WriteLine(2);\ndisplay("shown with display");\nawait Task.Delay(1);\n"the trailing value"', "order"),
    code('record Point(int X, int Y);\nstatic int Twice(int x) => 2 * x;\nnew Point(Twice(1), Twice(answer))', "types"),
    code('new[] { new Point(1, 2), new Point(30, 400) }', "table"),
    code('// This cell shows an error on purpose.\nthrow new InvalidOperationException("expected failure");', "expected", tags=["raises-exception"]),
    code('Console.WriteLine($"still running after the expected error: {answer}");', "after"),
    code('', "empty"),
])
write(real("kernel/packages.ipynb"), [
    md("# Packages\nA NuGet package and the course library.", "intro"),
    code('#r "nuget: Iced, 1.22.0"\nusing Iced.Intel;\nvar decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(new byte[] { 0x0f, 0x05 }));\n'
         'decoder.Decode().ToString()', "iced"),
    code(LIBRARY + '\nusing JitNotebooks;\nnew TextTable("register", "encoding").AddRow("rax", 0).AddRow("rdi", 7)', "library"),
])
write(real("kernel/compile-error.ipynb"), [
    code("var x = 1;", "ok"),
    code("var y = x + 1;\n\nvar z = undefinedName + y;", "bad"),
    code('Console.WriteLine("never runs");', "later"),
])
write(real("kernel/runtime-error.ipynb"), [
    code("int zero = 0;", "ok"),
    code('Console.WriteLine("before the error");\nvar items = new List<int>();\nvar first = items[zero];', "bad"),
    code('Console.WriteLine("never runs");', "later"),
])
write(real("kernel/unknown-magic.ipynb"), [code('#!nosuch\nConsole.WriteLine("never runs");', "bad")])
write(real("kernel/missing-dll.ipynb"), [code('#r "bin/NoSuchLibrary.dll"', "bad")])
# A raises-exception cell that runs quietly: nbclient lets it pass, the runner (like nbval) does not.
write("kernel/raises-but-does-not.ipynb", [code("var fine = 1 + 1;", "quiet", tags=["raises-exception"])])
write("kernel/deterministic.ipynb", [
    md("Outputs that are the same on every run: a second `--write` changes nothing.", "intro"),
    code('Console.WriteLine("same every time");\n6 * 7', "answer"),
    code('display("a display");\n"a value"', "value"),
])

# ---------------------------------------------------------------------------------------------
# variants/: notebooks as tools and people save them.
write(real("variants/01-vscode-polyglot.ipynb"), [
    md("# Saved by VS Code\nPolyglot Notebooks lists the kernel without a languageName."),
    code('var numbers = Enumerable.Range(1, 5).ToList();\nnumbers.Sum()',
         meta={**polyglot("csharp"), "vscode": {"languageId": "polyglot-notebook"}}),
    code('Console.WriteLine(string.Join(", ", numbers.Select(n => n * n)));',
         meta={**polyglot("csharp"), "vscode": {"languageId": "polyglot-notebook"}}),
], metadata=VSCODE, minor=2)

write("variants/02-vscode-languages.ipynb", [
    md("# Every kernel VS Code offers\nThe runner runs C#, HTML and value cells, and skips the others one line each."),
    code('var total = 40 + 2;\ntotal'),
    code('let total = 40 + 2\ntotal', kernel="fsharp"),
    code('Get-Date | Select-Object -Property Year', kernel="pwsh"),
    code('console.log("in the browser");', kernel="javascript"),
    code('SELECT TOP 1 * FROM sys.tables', kernel="sql"),
    code('graph LR\n    A --> B', kernel="mermaid"),
    code('<b>bold from an HTML cell</b>', kernel="html"),
    code('plain text kept by the value kernel', kernel="value"),
    code('Console.WriteLine($"after the other kernels: {total}");'),
], metadata={"kernelspec": VSCODE["kernelspec"], "language_info": VSCODE["language_info"],
             "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [
                 {"aliases": [], "name": "csharp"}, {"aliases": [], "languageName": "fsharp", "name": "fsharp"},
                 {"aliases": [], "languageName": "PowerShell", "name": "pwsh"},
                 {"aliases": ["js"], "languageName": "JavaScript", "name": "javascript"},
                 {"aliases": [], "languageName": "SQL", "name": "sql"}, {"aliases": [], "languageName": "Mermaid", "name": "mermaid"},
                 {"aliases": [], "languageName": "HTML", "name": "html"}, {"aliases": [], "name": "value"}]}}},
    minor=2)

write(real("variants/03-csharp-notebooks.ipynb"), [
    md("# Classes and LINQ\nIn the style of the dotnet/csharp-notebooks course: a markdown lesson, then code."),
    md("## Declaring a class"),
    code('public class Planet\n{\n    public string Name { get; set; }\n    public double Au { get; set; }\n}', kernel=None,
         meta={"dotnet_interactive": {"language": "csharp"}}),
    code('var planets = new List<Planet>\n{\n    new Planet { Name = "Mercury", Au = 0.39 },\n    new Planet { Name = "Earth", Au = 1.0 },\n'
         '    new Planet { Name = "Mars", Au = 1.52 },\n};\nforeach (var p in planets.Where(p => p.Au >= 1))\n    Console.WriteLine($"{p.Name} is {p.Au} AU from the sun");',
         meta={"dotnet_interactive": {"language": "csharp"}}),
    md("## Showing values\n`display` shows a value and the last expression is the cell's result."),
    code('display(planets.Count);\nplanets.Select(p => p.Name).ToArray()', meta={"dotnet_interactive": {"language": "csharp"}}),
], metadata=CSHARP_NOTEBOOKS, minor=2, indent=2, sort_keys=False)

write(real("variants/04-interactive-samples.ipynb"), [
    md("# Magic commands\nIn the style of dotnet/interactive's samples: cells name their kernel with `#!csharp`."),
    code('#!csharp\nvar message = "kernels share this notebook";\nmessage.Length', meta={}),
    code('#!c#\nmessage.ToUpperInvariant()', meta={}),
    code('#!C#\nConsole.WriteLine(message);', meta={}),
    code('#!value --name greeting\nHello from the value kernel', meta={}),
    code('#!csharp\n#!share --from value greeting\ngreeting', meta={}),
    code('#!html\n<p>An <em>HTML</em> cell</p>', meta={}),
], metadata=SAMPLES, minor=4)

write(real("variants/05-jupyter-kernelspec-only.ipynb"), [
    md("A notebook from plain Jupyter: only a kernelspec, no Polyglot metadata, no cell ids."),
    code('var squares = new Dictionary<int, int>();\nfor (var i = 1; i <= 3; i++) squares[i] = i * i;', meta={}),
    code('squares[3]', meta={}),
], metadata={"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}}, minor=4)

write(real("variants/06-cell-metadata-only.ipynb"), [
    code('var text = "no notebook metadata at all";\ntext.Split(\' \').Length', kernel=None, meta={"dotnet_interactive": {"language": "csharp"}}),
    code('Console.WriteLine(text);', kernel=None, meta={"dotnet_interactive": {"language": "csharp"}}),
], metadata={}, minor=1)

write(real("variants/07-nbformat-4.0-strings.ipynb"), [
    md("nbformat 4.0: sources as one string each, no ids.", as_string=True),
    code('var when = new DateOnly(2017, 6, 1);\nConsole.WriteLine(when.Year);\nwhen.DayOfWeek', meta={}, as_string=True),
    raw("A raw cell: never run, kept as it is."),
    code('when.AddDays(1).DayOfWeek', meta={}, as_string=True),
], metadata={"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}}, minor=0)

write(real("variants/08-nbformat-4.5-strings.ipynb"), [
    md("nbformat 4.5 with ids, sources as strings; the second code cell has no id (the runner adds one when writing).",
       "strings-intro", as_string=True),
    code('var word = "notebook";\nword.Length', "with-id", as_string=True),
    code('new string(word.Reverse().ToArray())', as_string=True),
])

write(real("variants/09-magic-selected.ipynb"), [
    md("Cells of other languages chosen by their first line, in a C# notebook."),
    code('#!csharp\nvar shared = 7;\nshared * 6', meta={}),
    code('#!fsharp\nlet fromFSharp = 6 * 7\nfromFSharp', meta={}),
    code('#!pwsh\n"from PowerShell"', meta={}),
    code('#!csharp\nConsole.WriteLine($"back in C#: {shared}");', meta={}),
], metadata=VSCODE, minor=4)

write("variants/10-fsharp-default.ipynb", [
    md("An F# notebook with C# cells: the runner runs the C# ones and skips the F# ones."),
    code('let fsharpOnly = 1', kernel="fsharp"),
    code('#!csharp\nConsole.WriteLine("C# in an F# notebook");', kernel="fsharp"),
    code('var fromMetadata = "C# chosen by cell metadata";\nfromMetadata', kernel="csharp"),
    code('printfn "F# again"', meta={}),
], metadata={"kernelspec": {"display_name": ".NET (F#)", "language": "F#", "name": ".net-fsharp"},
             "language_info": {"name": "polyglot-notebook"},
             "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "fsharp", "items": [
                 {"aliases": [], "name": "csharp"}, {"aliases": [], "name": "fsharp"}]}}}, minor=2)

write(real("variants/11-html-and-value.ipynb"), [
    code('#!html\n<h3>Table of contents</h3>\n<ol><li>Kernels</li><li>Values</li></ol>', meta={}),
    code('#!value --name settings --mime-type application/json\n{"depth": 3, "name": "demo"}', meta={}),
    code('#!csharp\n#!share --from value settings\nsettings.RootElement.GetProperty("depth").GetInt32() * 2', meta={}),
    code('display(new { depth = 3, names = new[] { "a", "b" } }, "application/json");', meta={}),
], metadata=VSCODE, minor=4)

# A 1x1 transparent PNG, as a markdown attachment.
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
write(real("variants/12-markdown-raw-empty.ipynb"), [
    md("# Not code\nAn image attachment: ![dot](attachment:dot.png)", "md-attachment", attachments={"dot.png": {"image/png": PNG}}),
    raw(".. note:: raw reStructuredText, for nbconvert", "raw-rst", meta={"raw_mimetype": "text/restructuredtext"}),
    code("", "empty"),
    code("   \n\n", "blank"),
    code('Console.WriteLine("the only code that runs");', "runs"),
    raw("another raw cell after the code", "raw-last"),
])

write(real("variants/13-time-and-markdown.ipynb"), [
    code('#!time\nSystem.Threading.Thread.Sleep(5);\nConsole.WriteLine("timed");', meta={}),
    code('#!markdown\n# Rendered by the kernel\nA *markdown* magic cell becomes HTML.', meta={}),
], metadata=VSCODE, minor=4)

# The feed's path is machine-specific (the kernel refuses relative #i paths: "Invalid URI"):
# the test copies this notebook next to a feed it builds and puts the feed's path in place of FEED_FOLDER.
write("variants/14-local-nuget-source.ipynb", [
    code('#i "nuget: FEED_FOLDER"\n#r "nuget: LocalGreeter, 1.0.0"', "restore"),
    code('new LocalGreeter.Greeter().Hello("local feed")', "use"),
])

write("variants/15-python.ipynb", [
    {"cell_type": "code", "execution_count": None, "id": "py", "metadata": {}, "outputs": [], "source": ["print('a Python notebook')"]},
], metadata={"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
             "language_info": {"name": "python", "version": "3.11.2"}})

write(real("variants/16-windows-crlf.ipynb"), [
    md("Saved on Windows: CRLF line endings in the file and in the sources."),
    code('var lines = new[] { "one", "two" };\r\nforeach (var l in lines)\r\n    Console.WriteLine(l);'),
], metadata=VSCODE, minor=4, newline="\r\n")

write(real("variants/17-who-and-json.ipynb"), [
    code('var alpha = 1;\nvar beta = "two";', meta={}),
    code('#!who', meta={}),
    code('display(new[] { 1, 2, 3 }, "application/json");', meta={}),
], metadata=VSCODE, minor=4)

write("variants/18-powershell-default.ipynb", [
    code('Get-ChildItem', meta={}),
    code('Write-Host "hello"', meta={}),
], metadata={"kernelspec": {"display_name": ".NET (PowerShell)", "language": "PowerShell", "name": ".net-powershell"}}, minor=4)

write("variants/19-stdin.ipynb", [
    code('var line = Console.ReadLine();\nConsole.WriteLine(line is null ? "end of input" : "read: " + line);\nConsole.In.Peek()', "reads"),
])

# ---------------------------------------------------------------------------------------------
# hostile/: cells that must not hang the runner, lose a file or stop the run.
write("hostile/never-ends.ipynb", [
    code('Console.WriteLine("about to spin");', "prints"),
    code('Console.WriteLine("spinning now");\nwhile (true) { }', "spins"),
    code('Console.WriteLine("never runs");', "later"),
])
write("hostile/environment-exit.ipynb", [
    code('Console.WriteLine("leaving");\nEnvironment.Exit(3);', "exits"),
    code('"never runs"', "later"),
])
write("hostile/stack-overflow.ipynb", [
    code('int Down(int n) => Down(n + 1) + 1;\nDown(0)', "overflows"),
])
write("hostile/native-crash.ipynb", [
    code('Console.WriteLine("about to crash");\n// Calls address 0x10: not mapped, so the process gets SIGSEGV.\n'
         'unsafe { ((delegate* unmanaged<void>)0x10)(); }', "crashes"),
    code('Console.WriteLine("never runs");', "later"),
])
write("hostile/pid.ipynb", [code('Environment.ProcessId', "pid")])
write("hostile/thread-keeps-printing.ipynb", [
    code('Console.WriteLine(Environment.ProcessId);\nvar ticker = new System.Threading.Thread(() =>\n{\n'
         '    for (var i = 0; ; i++) { Console.WriteLine($"tick {i}"); System.Threading.Thread.Sleep(10); }\n'
         '}) { IsBackground = true };\nticker.Start();\nSystem.Threading.Thread.Sleep(30);', "starts"),
    code('System.Threading.Thread.Sleep(100);\n"the next cell"', "next"),
])
write("hostile/hundred-megabytes.ipynb", [
    code('var megabyte = new string(\'x\', 1 << 20);\nfor (var i = 0; i < 100; i++) Console.Write(megabyte);\n"done"', "floods"),
    code('"still running"', "after"),
])
write("hostile/invalid-utf8.ipynb", [
    code(LIBRARY + '\nusing System.Runtime.InteropServices;\n[DllImport("libc")] static extern nint write(int fd, byte[] buffer, nint count);\n'
         'var bad = new byte[] { 0x62, 0x61, 0x64, 0xff, 0xfe, 0x0a };', "declare"),
    code('// Straight to fd 1, outside the kernel (a notebook would not show it).\nwrite(1, bad, bad.Length);', "raw"),
    code('// Through the library\'s capture, which decodes what native code wrote.\n'
         'JitNotebooks.StdoutCapture.Run(() => { write(1, bad, bad.Length); }).Text', "captured"),
])

# ---------------------------------------------------------------------------------------------
# export/: what --export-cs must turn from script cells into one program.
write("export/features.ipynb", [
    md("# Script cells as a program\nEach cell uses a script feature a program does not have as such.", "intro"),
    code('using System.Globalization;\nvar culture = CultureInfo.InvariantCulture;\nint counter = 0;', "usings-mid-cell"),
    code('record Reading(string Name, double Value);\nclass Counter { public int Count; public void Add() => Count++; }\n'
         'static string Describe(Reading r) => $"{r.Name} = {r.Value.ToString("0.0", CultureInfo.InvariantCulture)}";', "declarations"),
    code('var readings = new List<Reading> { new("a", 1.25), new("b", 2.5) };\nforeach (var r in readings) Console.WriteLine(Describe(r));\n'
         'Console.Error.WriteLine("a note on stderr");\ncounter += readings.Count;\ncounter', "uses-them"),
    code('display(new[] { 1, 2, 3 });\nawait Task.Delay(1);\nvar c = new Counter();\nc.Add();\n$"counted {c.Count}"', "display-and-await"),
    code('Console.WriteLine("before the error");\nthrow new InvalidOperationException("on purpose");', "raises", tags=["raises-exception"]),
    code('unsafe\n{\n    int value = 42;\n    int* pointer = &value;\n    Console.WriteLine(*pointer + counter);\n}', "unsafe"),
    code('readings.Select(r => r.Name).ToArray()', "trailing-array"),
])

# ---------------------------------------------------------------------------------------------
# refused/: files the runner must refuse, leaving them byte for byte as they were.
def raw_file(path, data):
    if ONLY and path not in ONLY:
        return
    os.makedirs(os.path.dirname(os.path.join(HERE, path)), exist_ok=True)
    with open(os.path.join(HERE, path), "wb") as f:
        f.write(data)

raw_file("refused/not-json.ipynb", b'{ "cells": [ this is not JSON\n')
raw_file("refused/package-json.ipynb", b'{\n "name": "package.json, perhaps",\n "version": "1.0.0"\n}\n')
raw_file("refused/empty.ipynb", b"")
raw_file("refused/binary.ipynb", bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + bytes(range(256)))
raw_file("refused/nbformat-3.ipynb", json.dumps({"metadata": {"name": "old"}, "nbformat": 3, "nbformat_minor": 0,
                                                  "worksheets": [{"cells": [{"cell_type": "code", "input": "1 + 1", "language": "csharp", "outputs": []}]}]},
                                                 indent=1).encode() + b"\n")
raw_file("refused/cells-not-a-list.ipynb", b'{"cells": {"0": "x"}, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n')
raw_file("refused/polyglot.dib", b'#!meta\n\n{"kernelInfo":{"defaultKernelName":"csharp"}}\n\n#!csharp\n\nConsole.WriteLine("a .dib file");\n')


# ---------------------------------------------------------------------------------------------
def execute_in_real_kernel(path, kernel):
    """Runs the notebook with nbconvert and stores the real kernel's outputs and counts in it."""
    folder, name = os.path.split(os.path.join(HERE, path))
    with tempfile.TemporaryDirectory() as out:
        for attempt in range(3):  # the tool binds an HTTP port from a fixed range: another instance may hold it
            done = subprocess.run(["jupyter", "nbconvert", "--to", "notebook", "--execute", "--allow-errors",
                                   f"--ExecutePreprocessor.kernel_name={kernel}", "--ExecutePreprocessor.timeout=300",
                                   "--output-dir", out, name], cwd=folder, capture_output=True, text=True)
            if done.returncode == 0:
                break
        else:
            sys.exit(f"{path}: nbconvert failed:\n{done.stderr[-3000:]}")
        with open(os.path.join(out, name), encoding="utf-8") as f:
            executed = json.load(f)
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        notebook = json.load(f)
    for cell, done in zip(notebook["cells"], executed["cells"]):
        if cell["cell_type"] == "code":
            # The tool's Jupyter front end adds a bootstrap script to the first cell it runs: not the cell's output.
            cell["outputs"] = [o for o in done.get("outputs", []) if "dotnet-interactive-this-cell" not in json.dumps(o)]
            cell["execution_count"] = done.get("execution_count")
    dump(path, notebook)

if "--no-real-kernel" not in sys.argv:
    for path, kernel in REAL_KERNEL:
        if ONLY and path not in ONLY:
            continue
        print("real kernel:", path, flush=True)
        execute_in_real_kernel(path, kernel)
