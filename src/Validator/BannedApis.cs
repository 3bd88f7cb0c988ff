using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoRefiner.Validator;

/// <summary>
/// The static deny-list: what generated code may not use, checked on the semantic model before anything runs. It is the
/// first of the sandbox's layers (docs/sandbox.md): it names the symbol, so a rejection says exactly what was used.
/// </summary>
internal static class BannedApis
{
    /// <summary>Why invoking through reflection is denied; allowed where <see cref="OwnTypeReflection"/> proves the target is the sample's own.</summary>
    private const string ReflectionInvocation = "reflection invocation";

    /// <summary>Namespaces whose every type is denied, with why.</summary>
    private static readonly (string Namespace, string Why)[] Namespaces =
    [
        ("System.Net", "networking"),
        ("System.Reflection.Emit", "reflection emit"),
        ("System.Runtime.Loader", "assembly loading"),
        ("System.IO.Pipes", "inter-process pipes"),
        ("System.IO.MemoryMappedFiles", "memory-mapped files"),
        ("System.IO.IsolatedStorage", "file system access"),
        ("Microsoft.Win32", "the registry and native handles"),
        ("System.Runtime.Intrinsics", "hardware intrinsics"),
        ("System.Reflection.Metadata", "reading assemblies' metadata"),
        ("System.IO.Enumeration", "file system access"),
        ("System.Formats.Tar", "file system access"),
        ("Microsoft.VisualBasic", "file system and process access"),
        ("Microsoft.CSharp.RuntimeBinder", "late binding"),
    ];

    /// <summary>Types denied whole, by metadata name, with why.</summary>
    private static readonly Dictionary<string, string> Types = new(StringComparer.Ordinal)
    {
        ["System.Diagnostics.Process"] = "starting processes",
        ["System.Diagnostics.ProcessStartInfo"] = "starting processes",
        ["System.IO.File"] = "file system access",
        ["System.IO.Directory"] = "file system access",
        ["System.IO.FileInfo"] = "file system access",
        ["System.IO.DirectoryInfo"] = "file system access",
        ["System.IO.FileSystemInfo"] = "file system access",
        ["System.IO.FileStream"] = "file system access",
        ["System.IO.FileSystemWatcher"] = "file system access",
        ["System.IO.DriveInfo"] = "file system access",
        ["System.IO.RandomAccess"] = "file system access",
        ["System.AppDomain"] = "the application domain",
        ["System.Runtime.InteropServices.Marshal"] = "native memory",
        ["System.Runtime.InteropServices.NativeLibrary"] = "P/Invoke",
        ["System.Runtime.InteropServices.DllImportAttribute"] = "P/Invoke",
        ["System.Runtime.InteropServices.LibraryImportAttribute"] = "P/Invoke",
        ["System.Runtime.InteropServices.GCHandle"] = "native handles",
        ["System.Runtime.InteropServices.SafeHandle"] = "native handles",
        ["System.Runtime.CompilerServices.Unsafe"] = "unsafe memory access",
        ["System.Threading.Mutex"] = "machine-wide synchronisation",
        ["System.Threading.Semaphore"] = "machine-wide synchronisation",
        ["System.Threading.EventWaitHandle"] = "machine-wide synchronisation",
        ["System.Runtime.GCSettings"] = "the process's garbage collector settings",
        ["System.Runtime.MemoryFailPoint"] = "the process's memory",
        ["System.Reflection.Assembly"] = "reaching other assemblies",
        ["System.Reflection.Module"] = "resolving members by metadata token",
        ["System.Reflection.Pointer"] = "unsafe memory access",
        ["System.Reflection.DispatchProxy"] = "code generated at run time",
        ["System.IO.Compression.ZipFile"] = "file system access",
        ["System.IO.Compression.ZipFileExtensions"] = "file system access",
    };

    /// <summary>Members denied on otherwise allowed types, by type and member name, with why.</summary>
    private static readonly Dictionary<(string Type, string Member), string> Members = new()
    {
        [("System.Environment", "Exit")] = "ending the process",
        [("System.Environment", "FailFast")] = "ending the process",
        [("System.Environment", "SetEnvironmentVariable")] = "changing the environment",
        [("System.Environment", "CurrentDirectory")] = "the working directory",
        [("System.IO.Path", "GetTempFileName")] = "file system access",
        [("System.Console", "OpenStandardInput")] = "the worker's own streams",
        [("System.Console", "OpenStandardOutput")] = "the worker's own streams",
        [("System.Console", "OpenStandardError")] = "the worker's own streams",
        [("System.Console", "SetIn")] = "the worker's own streams",
        [("System.Console", "SetOut")] = "the worker's own streams",
        [("System.Console", "SetError")] = "the worker's own streams",
        [("System.Type", "GetType")] = "reaching types by name",
        [("System.Type", "GetTypeFromProgID")] = "reaching types by name",
        [("System.Type", "GetTypeFromCLSID")] = "reaching types by name",
        [("System.Type", "ReflectionOnlyGetType")] = "reaching types by name",
        [("System.Type", "Assembly")] = "reaching other assemblies",
        [("System.Type", "Module")] = "reaching other assemblies",
        [("System.Reflection.MemberInfo", "Module")] = "reaching other assemblies",
        [("System.Reflection.MethodBase", "GetMethodFromHandle")] = "resolving members by handle",
        [("System.Reflection.FieldInfo", "GetFieldFromHandle")] = "resolving members by handle",
        [("System.Reflection.FieldInfo", "SetValueDirect")] = ReflectionInvocation,
        [("System.Reflection.FieldInfo", "GetValueDirect")] = ReflectionInvocation,
        [("System.Reflection.MethodBase", "MethodHandle")] = "native code pointers",
        [("System.Reflection.PropertyInfo", "GetConstantValue")] = ReflectionInvocation,
        [("System.Xml.Linq.XDocument", "Load")] = "file system access",
        [("System.Xml.Linq.XDocument", "Save")] = "file system access",
        [("System.Xml.Linq.XElement", "Load")] = "file system access",
        [("System.Xml.Linq.XElement", "Save")] = "file system access",
        [("System.Xml.Linq.XStreamingElement", "Save")] = "file system access",
        [("System.Xml.XmlDocument", "Load")] = "file system access",
        [("System.Xml.XmlDocument", "Save")] = "file system access",
        [("System.Xml.XmlReader", "Create")] = "file system and network access",
        [("System.Xml.XmlWriter", "Create")] = "file system access",
        [("System.Xml.XmlTextReader", ".ctor(path)")] = "file system access",
        [("System.Data.DataSet", "ReadXml")] = "file system access",
        [("System.Data.DataSet", "WriteXml")] = "file system access",
        [("System.Data.DataSet", "ReadXmlSchema")] = "file system access",
        [("System.Data.DataSet", "WriteXmlSchema")] = "file system access",
        [("System.Data.DataTable", "ReadXml")] = "file system access",
        [("System.Data.DataTable", "WriteXml")] = "file system access",
        [("System.Type", "InvokeMember")] = ReflectionInvocation,
        [("System.Reflection.MethodBase", "Invoke")] = ReflectionInvocation,
        [("System.Reflection.MethodInfo", "Invoke")] = ReflectionInvocation,
        [("System.Reflection.ConstructorInfo", "Invoke")] = ReflectionInvocation,
        [("System.Reflection.MethodInfo", "CreateDelegate")] = ReflectionInvocation,
        [("System.Reflection.PropertyInfo", "SetValue")] = ReflectionInvocation,
        [("System.Reflection.PropertyInfo", "GetValue")] = ReflectionInvocation,
        [("System.Reflection.FieldInfo", "SetValue")] = ReflectionInvocation,
        [("System.Reflection.FieldInfo", "GetValue")] = ReflectionInvocation,
        [("System.Delegate", "CreateDelegate")] = ReflectionInvocation,
        [("System.Activator", "CreateInstance")] = ReflectionInvocation,
        [("System.Activator", "CreateInstanceFrom")] = "assembly loading",
        [("System.Linq.Expressions.LambdaExpression", "Compile")] = "compiling code at run time",
        [("System.Linq.Expressions.Expression`1", "Compile")] = "compiling code at run time",
        [("System.IO.StreamReader", ".ctor(path)")] = "file system access",
        [("System.IO.StreamWriter", ".ctor(path)")] = "file system access",
        [("System.GC", "AddMemoryPressure")] = "the process's memory",
    };

    /// <summary>The first denied use in the compilation's own trees, as "<c>symbol</c> (why) at (line,col)", or null.</summary>
    public static string? FirstViolation(Compilation compilation, IEnumerable<SyntaxTree> trees, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        ArgumentNullException.ThrowIfNull(trees);
        foreach (var tree in trees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Syntactic(node) is { } what)
                {
                    return $"{what} at {Where(node)}";
                }

                if (node is not (SimpleNameSyntax or BaseObjectCreationExpressionSyntax or AttributeSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax))
                {
                    continue;
                }

                if (node is SimpleNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax
                    && model.GetTypeInfo(node, cancellationToken).Type is { TypeKind: TypeKind.Dynamic })
                {
                    // Late binding resolves names at run time, where the deny-list cannot see them.
                    return $"`dynamic` (late binding) at {Where(node)}";
                }

                var info = model.GetSymbolInfo(node, cancellationToken);
                var symbol = info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
                if (symbol is null && node is SimpleNameSyntax)
                {
                    symbol = model.GetTypeInfo(node, cancellationToken).Type;
                }

                if (symbol is not null && Denied(symbol, node) is { } why
                    && !(why == ReflectionInvocation && OwnTypeReflection.Reaches(node, model, cancellationToken)))
                {
                    return $"{symbol.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)} ({why}) at {Where(node)}";
                }
            }
        }

        return null;
    }

    private static string Where(SyntaxNode node)
    {
        var position = node.GetLocation().GetLineSpan().StartLinePosition;
        return $"{node.SyntaxTree.FilePath}({position.Line + 1},{position.Character + 1})";
    }

    /// <summary>Constructs denied by their syntax: unsafe code and native calls.</summary>
    private static string? Syntactic(SyntaxNode node) => node switch
    {
        MemberDeclarationSyntax member when member.Modifiers.Any(SyntaxKind.UnsafeKeyword) => "`unsafe` code (unsafe code)",
        LocalFunctionStatementSyntax local when local.Modifiers.Any(SyntaxKind.UnsafeKeyword) => "`unsafe` code (unsafe code)",
        UnsafeStatementSyntax => "an `unsafe` block (unsafe code)",
        FixedStatementSyntax => "a `fixed` statement (unsafe code)",
        PointerTypeSyntax or FunctionPointerTypeSyntax => "a pointer type (unsafe code)",
        MethodDeclarationSyntax method when method.Modifiers.Any(SyntaxKind.ExternKeyword) => $"`extern` method {method.Identifier.Text} (P/Invoke)",
        LocalFunctionStatementSyntax local when local.Modifiers.Any(SyntaxKind.ExternKeyword) => $"`extern` function {local.Identifier.Text} (P/Invoke)",
        _ => null,
    };

    private static string? Denied(ISymbol symbol, SyntaxNode node)
    {
        if (symbol is IMethodSymbol { ReducedFrom: { } reduced })
        {
            symbol = reduced;
        }

        var type = symbol as INamedTypeSymbol ?? symbol.ContainingType;
        if (symbol is IArrayTypeSymbol or IPointerTypeSymbol)
        {
            return null;
        }

        for (var t = type; t is not null; t = t.ContainingType)
        {
            var ns = t.ContainingNamespace?.ToDisplayString() ?? "";
            foreach (var (prefix, why) in Namespaces)
            {
                if (ns == prefix || ns.StartsWith(prefix + ".", StringComparison.Ordinal))
                {
                    return why;
                }
            }
        }

        if (type is null)
        {
            return null;
        }

        var typeName = MetadataName(type);
        if (Types.TryGetValue(typeName, out var typeWhy))
        {
            return typeWhy;
        }

        if (symbol is IMethodSymbol { MethodKind: MethodKind.Constructor } ctor)
        {
            return ctor.Parameters.FirstOrDefault() is { Type.SpecialType: SpecialType.System_String, Name: "path" }
                   && Members.TryGetValue((typeName, ".ctor(path)"), out var pathWhy)
                ? pathWhy
                : null;
        }

        // Members are looked up on the type that declares them and on the types it derives from (MethodInfo.Invoke is
        // declared on MethodBase).
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (Members.TryGetValue((MetadataName(t), symbol.Name), out var why))
            {
                return why;
            }
        }

        return null;
    }

    private static string MetadataName(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        var ns = definition.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() + "." : "";
        var outer = definition.ContainingType is { } containing ? MetadataName(containing) + "+" : ns;
        return outer + definition.MetadataName;
    }
}
