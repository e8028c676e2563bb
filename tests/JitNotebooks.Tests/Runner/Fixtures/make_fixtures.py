# Regenerates the runner's fixture notebooks (canonical Polyglot metadata, Jupyter layout):
#   cd tests/JitNotebooks.Tests/Runner/Fixtures && python3 make_fixtures.py
import json, os
META = {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"},
        "language_info": {"name": "polyglot-notebook"},
        "polyglot_notebook": {"kernelInfo": {"defaultKernelName": "csharp", "items": [{"aliases": [], "languageName": "csharp", "name": "csharp"}]}}}
def lines(src):
    out = src.split("\n")
    return [l + "\n" for l in out[:-1]] + ([out[-1]] if out[-1] else [])
def code(id, src, tags=None):
    c = {"cell_type": "code", "execution_count": None, "id": id,
         "metadata": {"dotnet_interactive": {"language": "csharp"}, "polyglot_notebook": {"kernelName": "csharp"}},
         "outputs": [], "source": lines(src)}
    if tags: c["metadata"]["tags"] = tags
    return c
def md(id, src):
    return {"cell_type": "markdown", "id": id, "metadata": {}, "source": lines(src)}
def nb(path, cells):
    with open(path, "w") as f:
        json.dump({"cells": cells, "metadata": META, "nbformat": 4, "nbformat_minor": 5}, f, indent=1, sort_keys=True, ensure_ascii=False)
        f.write("\n")

nb("course/01-kernel-basics.ipynb", [
    md("intro", "# Kernel basics\nVariables live from one cell to the next; the kernel's imports are in scope."),
    code("define", "#!csharp\nvar greeting = \"Hello\";\nint answer = 6 * 7;"),
    code("use", "// Variables from the previous cell, StringBuilder from System.Text, LINQ from System.Linq.\nvar sb = new StringBuilder(greeting);\nsb.Append(\", notebook\");\nConsole.WriteLine(sb.ToString());\nConsole.WriteLine(new[] { 3, 1, 2 }.OrderBy(x => x).First());\nanswer"),
    code("display", "display(new List<int> { 1, 2, 3 });\nConsole.Error.WriteLine(\"a warning on stderr\");\ndisplay(\"shown with display\");\nawait Task.Delay(1);\n\"the trailing value\""),
    code("types", "record Point(int X, int Y);\nstatic int Twice(int x) => 2 * x;\nnew Point(Twice(1), Twice(answer))"),
    code("expected", "// This cell shows an error on purpose.\nthrow new InvalidOperationException(\"expected failure\");", ["raises-exception"]),
    code("after", "Console.WriteLine($\"still running after the expected error: {answer}\");"),
    code("html", "// A registered HTML formatter (the kernel imports Microsoft.DotNet.Interactive.Formatting) adds text/html.\nFormatter.Register<Point>(p => $\"<b>({p.X}, {p.Y})</b>\", \"text/html\");\nnew Point(3, 4)"),
])

nb("course/02-references.ipynb", [
    md("intro", "# References\nPinned packages and the course library."),
    code("iced", "#r \"nuget: Iced, 1.22.0\"\nusing Iced.Intel;\nvar decoder = Iced.Intel.Decoder.Create(64, new ByteArrayCodeReader(new byte[] { 0x0f, 0x05 }));\nvar instruction = decoder.Decode();\ninstruction.ToString()"),
    code("again", "// Naming a package again (as a second notebook section might) is harmless.\n#r \"nuget: Iced, 1.22.0\"\nnew Iced.Intel.Decoder[0].Length"),
    code("library", "#r \"../../../../../artifacts/bin/JitNotebooks/debug/JitNotebooks.dll\"\nusing JitNotebooks;\nConsole.WriteLine(Reg64.Rdi.AttName());\nHelloWorldProgram.Packed().ToArray().Length"),
])

nb("course/04-chart.ipynb", [
    md("intro", "# A chart\nPlotly.NET.Interactive renders charts as HTML."),
    code("plotly", "#r \"nuget: Plotly.NET.Interactive, 6.0.0\"\n#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\nPlotly.NET.CSharp.Chart.Point<int, int, string>(new[] { 1, 2, 3 }, new[] { 4, 1, 9 })"),
    code("second", "display(Plotly.NET.CSharp.Chart.Line<int, int, string>(new[] { 1, 2 }, new[] { 2, 1 }));"),
])

nb("course/03-jit-hello.ipynb", [
    md("intro", "# JIT'd Hello World\nThe article's program, mapped executable and called. Its write syscall goes straight to fd 1."),
    code("declare", "#r \"../../../../../artifacts/bin/JitNotebooks/debug/JitNotebooks.dll\"\nusing System.Runtime.InteropServices;\n[DllImport(\"libc\", SetLastError = true)] static extern nint mmap(nint addr, nuint length, int prot, int flags, int fd, nint offset);\n[DllImport(\"libc\", SetLastError = true)] static extern int mprotect(nint addr, nuint length, int prot);\n[DllImport(\"libc\", SetLastError = true)] static extern int munmap(nint addr, nuint length);\nvar code = JitNotebooks.HelloWorldProgram.Packed().ToArray();\ncode.Length"),
    code("run", "if (JitNotebooks.NativePlatform.CanRunJitCode)\n{\n    const int Read = 1, Write = 2, Exec = 4, Private = 2, Anonymous = 0x20;\n    var page = mmap(0, 4096, Read | Write, Private | Anonymous, -1, 0);\n    Marshal.Copy(code, 0, page, code.Length);\n    mprotect(page, 4096, Read | Exec);\n    unsafe { ((delegate* unmanaged<void>)page)(); }\n    munmap(page, 4096);\n}\nelse\n{\n    Console.Write(\"Hello World!\");\n}\nConsole.WriteLine();\nConsole.WriteLine(\"back in C#\");"),
])

nb("failing/compile-error.ipynb", [
    code("ok", "var x = 1;"),
    code("bad", "var y = x + 1;\n\nvar z = undefinedName + y;"),
    code("later", "Console.WriteLine(\"never runs\");"),
])
nb("failing/runtime-error.ipynb", [
    code("ok", "int zero = 0;"),
    code("bad", "Console.WriteLine(\"before the error\");\nvar items = new List<int>();\nvar first = items[zero];"),
])
nb("failing/unpinned-package.ipynb", [code("bad", "// A package the repository does not pin.\n#r \"nuget: Newtonsoft.Json, 13.0.3\"")])
nb("failing/wrong-version.ipynb", [code("bad", "#r \"nuget: Iced, 1.21.0\"")])
nb("failing/unknown-magic.ipynb", [code("bad", "#!time\nConsole.WriteLine(\"timed\");")])
nb("failing/missing-dll.ipynb", [code("bad", "#r \"bin/NoSuchLibrary.dll\"")])
nb("failing/hung-cell.ipynb", [
    code("prints", "Console.WriteLine(\"about to hang\");"),
    code("hangs", "Console.WriteLine(\"hanging now\");\nwhile (true) { System.Threading.Thread.Sleep(100); }"),
    code("later", "Console.WriteLine(\"never runs\");"),
])
nb("failing/raises-but-does-not.ipynb", [code("quiet", "var fine = 1 + 1;", ["raises-exception"])])
nb("failing/crash.ipynb", [
    code("crash", "#r \"../../../../../artifacts/bin/JitNotebooks/debug/JitNotebooks.dll\"\nConsole.WriteLine(\"about to crash\");\n// Calls address 0x10: not mapped, so the process gets SIGSEGV.\nunsafe { ((delegate* unmanaged<void>)0x10)(); }"),
])
nb("failing/bad-format.ipynb", [
    {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": ["1 + 1"]},
])
with open("failing/not-json.ipynb", "w") as f:
    f.write('{ "cells": [ this is not JSON\n')
with open("failing/not-a-notebook.ipynb", "w") as f:
    f.write('{\n "name": "package.json, perhaps",\n "version": "1.0.0"\n}\n')
