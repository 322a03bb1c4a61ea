using System.Reflection;
using System.Reflection.Emit;
using MediaBridge.Sip;

namespace MediaBridge.Tests;

/// <summary>
/// Protocol code (SIP, SDP, RTP, WebRTC...) never depends on the application that uses it (calls,
/// legs, conferences, control): checked in every signature and every method body of the bridge.
/// </summary>
public sealed class LayeringTests
{
    private static readonly string[] Protocols = ["Audio", "Dtls", "Ice", "Rtcp", "Rtp", "Rtsp", "Sdp", "Sip", "Srtp", "Stun", "WebRtc"];

    private static readonly string[] Applications = ["Calls", "Conference", "Control", "Legs"];

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    [Fact]
    public void No_protocol_type_references_an_application_type()
    {
        var assembly = typeof(SipCore).Assembly;
        var protocolTypes = assembly.GetTypes().Where(t => In(t, Protocols)).ToList();
        Assert.Contains(protocolTypes, t => t.Namespace == "MediaBridge.WebRtc");

        var offences = protocolTypes
            .SelectMany(t => Referenced(t).Where(r => In(r.Type, Applications)).Select(r => $"{t.FullName} {r.Where} uses {r.Type.FullName}"))
            .Distinct()
            .ToList();

        Assert.True(offences.Count == 0, string.Join("\n", offences));
    }

    [Fact]
    public void The_check_sees_references_inside_method_bodies_and_signatures()
    {
        Assert.Contains(Referenced(typeof(Offender)), r => r.Type == typeof(MediaBridge.Legs.ConferencePlans));
        Assert.Contains(Referenced(typeof(Offender)), r => r.Type == typeof(MediaBridge.Conference.MediaEngine));
        Assert.Contains(Referenced(typeof(Offender)), r => r.Type == typeof(MediaBridge.Legs.Calls.SipLegs));
    }

    private static bool In(Type type, string[] folders)
    {
        var ns = type.Namespace ?? "";
        return folders.Any(f => ns == $"MediaBridge.{f}" || ns.StartsWith($"MediaBridge.{f}.", StringComparison.Ordinal));
    }

    private static IEnumerable<(string Where, Type Type)> Referenced(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var found = new List<(string, Type)>();
        void Add(string where, Type? t)
        {
            if (t is null)
            {
                return;
            }

            if (t.HasElementType)
            {
                Add(where, t.GetElementType());
                return;
            }

            found.Add((where, t));
            if (t.IsGenericType && !t.IsGenericTypeDefinition)
            {
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(where, argument);
                }
            }
        }

        Add("inherits", type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add("implements", i);
        }

        foreach (var field in type.GetFields(all))
        {
            Add($"field {field.Name}", field.FieldType);
        }

        foreach (var property in type.GetProperties(all))
        {
            Add($"property {property.Name}", property.PropertyType);
        }

        foreach (var e in type.GetEvents(all))
        {
            Add($"event {e.Name}", e.EventHandlerType);
        }

        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            var where = $"in {method.Name}";
            if (method is MethodInfo info)
            {
                Add(where, info.ReturnType);
            }

            foreach (var parameter in method.GetParameters())
            {
                Add(where, parameter.ParameterType);
            }

            if (method.GetMethodBody() is not { } body)
            {
                continue;
            }

            foreach (var local in body.LocalVariables)
            {
                Add(where, local.LocalType);
            }

            foreach (var member in Tokens(method, body.GetILAsByteArray() ?? []))
            {
                Add(where, member as Type ?? member.DeclaringType);
                switch (member)
                {
                    case FieldInfo f:
                        Add(where, f.FieldType);
                        break;
                    case MethodInfo m:
                        Add(where, m.ReturnType);
                        foreach (var p in m.GetParameters())
                        {
                            Add(where, p.ParameterType);
                        }

                        break;
                }
            }
        }

        return found;
    }

    /// <summary>The types, methods and fields an IL body names, resolved in the context of its method.</summary>
    private static IEnumerable<MemberInfo> Tokens(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE && at + 1 < il.Length ? (short)(0xFE00 | il[at + 1]) : il[at];
            if (!OpCodesByValue.TryGetValue(value, out var op))
            {
                yield break;
            }

            at += op.Size;
            switch (op.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var token = BitConverter.ToInt32(il, at);
                    MemberInfo? member;
                    try
                    {
                        member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                    }
                    catch (ArgumentException)
                    {
                        member = null;
                    }

                    if (member is not null)
                    {
                        yield return member;
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                default:
                    at += 4;
                    break;
            }
        }
    }

    /// <summary>What the check must catch, were it in a protocol folder.</summary>
    private sealed class Offender
    {
        private readonly MediaBridge.Conference.MediaEngine? media = null;

        public int Count() => new MediaBridge.Legs.ConferencePlans().Count + (media is null ? 0 : 1);

        public static string Name() => nameof(MediaBridge.Legs.Calls.SipLegs) + typeof(MediaBridge.Legs.Calls.SipLegs).Name;
    }
}
