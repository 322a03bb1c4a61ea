using System.Net;
using System.Text;
using MediaBridge.Ice;
using MediaBridge.Stun;
using MediaBridge.Tests.Stun;

namespace MediaBridge.Tests.Ice;

public sealed class IceLiteAgentTests
{
    private const long Second = TimeSpan.TicksPerSecond;
    private const long Start = 1000 * Second;

    private static readonly IceCredentials Local = new("evtj", Rfc5769.Password);
    private static readonly IPEndPoint PeerA = new(IPAddress.Parse("198.51.100.7"), 50000);
    private static readonly IPEndPoint PeerB = new(IPAddress.Parse("203.0.113.9"), 61000);

    private readonly byte[] response = new byte[IceLiteAgent.MaxResponseLength];

    [Fact]
    public void A_valid_check_is_answered_with_the_mapped_address_under_integrity()
    {
        var agent = new IceLiteAgent(Local, "h6vY");
        var request = Check.Build();

        var outcome = agent.Handle(request, PeerA, Start, response, out var length);

        Assert.Equal(new IceOutcome(IceVerdict.Accepted, 0, SelectionChanged: true), outcome);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.Equal(StunMessageType.BindingSuccessResponse, answer.Type);
        Assert.Equal(request[8..20], answer.TransactionId.ToArray());
        Assert.True(answer.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(PeerA, mapped);
        Assert.True(answer.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Rfc5769.Password)));
        Assert.True(answer.VerifyFingerprint());
        Assert.Equal(PeerA, agent.Selected);
        Assert.False(agent.Nominated);
    }

    [Fact]
    public void An_ipv6_peer_gets_its_ipv6_address_back()
    {
        var agent = new IceLiteAgent(Local, "h6vY");
        var peer = new IPEndPoint(IPAddress.Parse("2001:db8::42"), 40404);

        Assert.Equal(IceVerdict.Accepted, agent.Handle(Check.Build(), peer, Start, response, out var length).Verdict);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.True(answer.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(peer, mapped);
    }

    [Fact]
    public void The_rfc5769_sample_request_is_a_role_conflict_because_it_says_controlled()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        var outcome = agent.Handle(Rfc5769.Request, PeerA, Start, response, out var length);

        Assert.Equal(new IceOutcome(IceVerdict.Rejected, 487), outcome);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.Equal(StunMessageType.BindingErrorResponse, answer.Type);
        Assert.True(answer.TryGetErrorCode(out var code, out var reason));
        Assert.Equal(487, code);
        Assert.Equal("Role Conflict", reason);
        Assert.True(answer.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Rfc5769.Password)));
        Assert.True(answer.VerifyFingerprint());
        Assert.Null(agent.Selected);
    }

    [Fact]
    public void A_check_without_a_role_attribute_is_accepted()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        Assert.Equal(IceVerdict.Accepted, agent.Handle(Check.Build(controlling: false), PeerA, Start, response, out _).Verdict);
    }

    [Theory]
    [InlineData("evtX:h6vY")]
    [InlineData("evtj:h6vZ")]
    [InlineData("evtj:")]
    [InlineData("evtj")]
    [InlineData("h6vY:evtj")]
    [InlineData("evtjj:h6vY")]
    public void A_wrong_username_is_unauthenticated(string username)
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        var outcome = agent.Handle(Check.Build(username: username), PeerA, Start, response, out var length);

        Assert.Equal(new IceOutcome(IceVerdict.Rejected, 401), outcome);
        AssertUnprotectedError(length, 401);
        Assert.Null(agent.Selected);
    }

    [Fact]
    public void Without_the_remote_ufrag_only_the_local_part_is_checked()
    {
        var agent = new IceLiteAgent(Local, remoteUfrag: null);

        Assert.Equal(IceVerdict.Accepted, agent.Handle(Check.Build(username: "evtj:anything"), PeerA, Start, response, out _).Verdict);
        Assert.Equal(401, agent.Handle(Check.Build(username: "other:h6vY"), PeerA, Start, response, out _).ErrorCode);
    }

    [Fact]
    public void Integrity_under_another_password_is_unauthenticated()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        var outcome = agent.Handle(Check.Build(password: "VOkJxbRl1RmTxUk/WvJxBu"), PeerA, Start, response, out var length);

        Assert.Equal(new IceOutcome(IceVerdict.Rejected, 401), outcome);
        AssertUnprotectedError(length, 401);
    }

    /// <summary>
    /// RFC 8489 §9.1.3 separates the two cases: a request missing USERNAME or MESSAGE-INTEGRITY is
    /// malformed and gets 400; 401 is for credentials that are present but wrong.
    /// </summary>
    [Fact]
    public void Missing_integrity_or_username_is_a_bad_request()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        Assert.Equal(new IceOutcome(IceVerdict.Rejected, 400), agent.Handle(Check.Build(integrity: false), PeerA, Start, response, out var length));
        AssertUnprotectedError(length, 400);
        Assert.Equal(new IceOutcome(IceVerdict.Rejected, 400), agent.Handle(Check.Build(username: null), PeerA, Start, response, out _));
    }

    [Fact]
    public void A_bad_fingerprint_is_dropped_silently()
    {
        var agent = new IceLiteAgent(Local, "h6vY");
        var request = Check.Build();
        request[^1] ^= 0xFF;

        Assert.Equal(new IceOutcome(IceVerdict.Dropped), agent.Handle(request, PeerA, Start, response, out var length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void A_check_without_fingerprint_is_still_answered()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        Assert.Equal(IceVerdict.Accepted, agent.Handle(Check.Build(fingerprint: false), PeerA, Start, response, out _).Verdict);
    }

    [Fact]
    public void An_unknown_comprehension_required_attribute_gets_420_listing_it()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        var outcome = agent.Handle(Check.Build(extra: 0x0003), PeerA, Start, response, out var length);

        Assert.Equal(new IceOutcome(IceVerdict.Rejected, 420), outcome);
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.True(answer.TryGetAttribute(StunAttributeType.UnknownAttributes, out var unknown));
        Assert.Equal([0x00, 0x03], unknown.ToArray());
        Assert.True(answer.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(Rfc5769.Password)));
        Assert.Null(agent.Selected);
    }

    [Fact]
    public void An_unknown_optional_attribute_is_ignored()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        Assert.Equal(IceVerdict.Accepted, agent.Handle(Check.Build(extra: 0xC057), PeerA, Start, response, out _).Verdict);
    }

    [Fact]
    public void Indications_responses_and_other_protocols_get_no_answer()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        Assert.Equal(new IceOutcome(IceVerdict.Ignored), agent.Handle(Check.Build(type: StunMessageType.BindingIndication), PeerA, Start, response, out var length));
        Assert.Equal(0, length);
        Assert.Equal(new IceOutcome(IceVerdict.Ignored), agent.Handle(Rfc5769.ResponseV4, PeerA, Start, response, out _));
        Assert.Equal(new IceOutcome(IceVerdict.NotStun), agent.Handle([0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], PeerA, Start, response, out _));
        Assert.Equal(new IceOutcome(IceVerdict.NotStun), agent.Handle([], PeerA, Start, response, out _));
    }

    [Fact]
    public void A_malformed_request_with_a_readable_header_gets_400_for_its_transaction()
    {
        var agent = new IceLiteAgent(Local, "h6vY");
        var request = Check.Build();
        request[20 + 3] = 0xF0;

        Assert.Equal(new IceOutcome(IceVerdict.Rejected, 400), agent.Handle(request, PeerA, Start, response, out var length));
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.Equal(request[8..20], answer.TransactionId.ToArray());
    }

    [Fact]
    public void Use_candidate_nominates_and_the_nomination_holds_against_other_checks()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        Assert.True(agent.Handle(Check.Build(), PeerA, Start, response, out _).SelectionChanged);
        Assert.True(agent.Handle(Check.Build(useCandidate: true), PeerB, Start, response, out _).SelectionChanged);
        Assert.Equal(PeerB, agent.Selected);
        Assert.True(agent.Nominated);

        Assert.False(agent.Handle(Check.Build(), PeerA, Start + Second, response, out _).SelectionChanged);
        Assert.Equal(PeerB, agent.Selected);
        Assert.False(agent.Handle(Check.Build(useCandidate: true), PeerB, Start + Second, response, out _).SelectionChanged);
    }

    [Fact]
    public void Use_candidate_on_the_first_check_selects_it_at_once()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        var outcome = agent.Handle(Check.Build(useCandidate: true), PeerA, Start, response, out _);

        Assert.True(outcome.SelectionChanged);
        Assert.Equal(PeerA, agent.Selected);
        Assert.True(agent.Nominated);
    }

    [Fact]
    public void Without_nomination_the_latest_valid_address_is_selected()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        agent.Handle(Check.Build(), PeerA, Start, response, out _);
        Assert.True(agent.Handle(Check.Build(), PeerB, Start, response, out _).SelectionChanged);
        Assert.Equal(PeerB, agent.Selected);
        Assert.False(agent.Handle(Check.Build(), new IPEndPoint(PeerB.Address, PeerB.Port), Start, response, out _).SelectionChanged);
    }

    [Fact]
    public void A_peer_that_moves_and_nominates_again_moves_the_selection()
    {
        var agent = new IceLiteAgent(Local, "h6vY");
        agent.Handle(Check.Build(useCandidate: true), PeerA, Start, response, out _);
        var rebound = new IPEndPoint(PeerA.Address, PeerA.Port + 1);

        var outcome = agent.Handle(Check.Build(useCandidate: true), rebound, Start + (5 * Second), response, out _);

        Assert.True(outcome.SelectionChanged);
        Assert.Equal(rebound, agent.Selected);
    }

    [Fact]
    public void The_selected_address_is_a_copy_the_caller_cannot_change()
    {
        var agent = new IceLiteAgent(Local, "h6vY");
        var from = new IPEndPoint(PeerA.Address, PeerA.Port);
        agent.Handle(Check.Build(), from, Start, response, out _);

        from.Port = 1;

        Assert.Equal(PeerA, agent.Selected);
    }

    [Fact]
    public void Consent_expires_30_seconds_after_the_last_check_and_checks_renew_it()
    {
        var agent = new IceLiteAgent(Local, "h6vY");
        Assert.False(agent.ConsentExpired(Start));

        agent.Handle(Check.Build(useCandidate: true), PeerA, Start, response, out _);
        Assert.False(agent.ConsentExpired(Start + (30 * Second) - 1));
        Assert.True(agent.ConsentExpired(Start + (30 * Second)));

        agent.Handle(Check.Build(), PeerA, Start + (20 * Second), response, out _);
        Assert.False(agent.ConsentExpired(Start + (45 * Second)));
        Assert.True(agent.ConsentExpired(Start + (50 * Second)));
    }

    [Fact]
    public void Only_checks_on_the_selected_address_renew_consent()
    {
        var agent = new IceLiteAgent(Local, "h6vY");
        agent.Handle(Check.Build(useCandidate: true), PeerA, Start, response, out _);

        agent.Handle(Check.Build(), PeerB, Start + (20 * Second), response, out _);
        agent.Handle(Check.Build(password: "wrong-password-wrong-pw"), PeerA, Start + (25 * Second), response, out _);

        Assert.True(agent.ConsentExpired(Start + (30 * Second)));
    }

    [Fact]
    public void A_short_response_buffer_is_a_caller_error()
    {
        var agent = new IceLiteAgent(Local, "h6vY");

        Assert.Throws<ArgumentException>(() => agent.Handle(Check.Build(), PeerA, Start, new byte[64], out _));
    }

    [Fact]
    public void Random_and_mutated_datagrams_never_throw_and_every_answer_parses()
    {
        var agent = new IceLiteAgent(Local, "h6vY");
        var random = new Random(8445);
        byte[][] seeds = [Check.Build(), Check.Build(useCandidate: true, extra: 0x0003), Rfc5769.Request, Check.Build(integrity: false)];
        for (var i = 0; i < 20000; i++)
        {
            byte[] packet;
            if (i % 3 == 0)
            {
                packet = new byte[random.Next(0, 120)];
                random.NextBytes(packet);
            }
            else
            {
                packet = (byte[])seeds[random.Next(seeds.Length)].Clone();
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    packet[random.Next(4, packet.Length)] = (byte)random.Next(256);
                }

                if (i % 7 == 0)
                {
                    packet = packet[..random.Next(packet.Length)];
                }
            }

            var outcome = agent.Handle(packet, PeerA, Start + i, response, out var length);
            Assert.Equal(outcome.HasResponse, length > 0);
            if (outcome.HasResponse)
            {
                Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
                Assert.True(answer.VerifyFingerprint());
            }
        }
    }

    private void AssertUnprotectedError(int length, int expected)
    {
        Assert.True(StunMessage.TryParse(response.AsSpan(0, length), out var answer));
        Assert.True(answer.TryGetErrorCode(out var code, out _));
        Assert.Equal(expected, code);
        Assert.False(answer.HasMessageIntegrity);
        Assert.True(answer.VerifyFingerprint());
    }
}
