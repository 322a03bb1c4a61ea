using System.Text;
using BenchmarkDotNet.Attributes;
using MediaBridge.Sip;

namespace MediaBridge.Benchmarks;

/// <summary>Admission of a typical REGISTER: parse, check every mandatory header, build the typed view.</summary>
[MemoryDiagnoser]
public class SipBenchmarks
{
    private static readonly byte[] Register = Encoding.ASCII.GetBytes(
        "REGISTER sip:command.foshan.example SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKnashds7;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: \"禅城区分会场\" <sip:2101@command.foshan.example>\r\n" +
        "From: \"禅城区分会场\" <sip:2101@command.foshan.example>;tag=456248\r\n" +
        "Call-ID: 843817637684230@998sdasdh09\r\n" +
        "CSeq: 1826 REGISTER\r\n" +
        "Contact: <sip:2101@127.0.0.1:5070;transport=udp>;expires=3600\r\n" +
        "User-Agent: baresip v3.0\r\n" +
        "Content-Length: 0\r\n\r\n");

    [Benchmark]
    public SipAdmissionOutcome Admit() => SipAdmission.Admit(Register, datagram: true).Outcome;
}
