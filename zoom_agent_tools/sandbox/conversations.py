"""What was said in the seeded team meetings, and the AI Companion summaries made of it.

The story runs over six weekly standups of a platform team that upgrades its billing database:
a plan, flaky CI, load tests, a postponed decision, a chosen cutover date and the preparations
for it. Transcripts are generated from ``lines``; summaries from ``summary``, so the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

__all__ = [
    "CONVERSATIONS",
    "DEEP_DIVE_PHRASES",
    "ELENA",
    "JORDAN",
    "KENJI",
    "LIN",
    "MARCUS",
    "PRIYA",
    "SAM",
    "SOFIA",
    "Conversation",
    "Person",
    "Summary",
    "Topic",
]


@dataclass(frozen=True)
class Person:
    """Someone in the seeded meetings; ``id`` is empty for people not signed in to Zoom."""

    id: str
    name: str
    first_name: str
    email: str
    internal: bool


PRIYA = Person(
    "PnT4rQ8aSyeWd0LmZk3vXw", "Priya Natarajan", "Priya", "priya.natarajan@example.com", True
)
MARCUS = Person("Mw5bK2eRT0yq8HnJc1ZpLg", "Marcus Webb", "Marcus", "marcus.webb@example.com", True)
SOFIA = Person(
    "Sa9vLz3QRk2mWx7PdN0tYe", "Sofia Alvarez", "Sofia", "sofia.alvarez@example.com", True
)
KENJI = Person(
    "Kw3tN8bZQe5rVj0LmX6sHa", "Kenji Watanabe", "Kenji", "kenji.watanabe@example.com", True
)
LIN = Person("Lc7PwQ1ZRmS0Tz4nYk2aHg", "Lin Cohost", "Lin", "lin.cohost@example.com", True)
SAM = Person("So2kF7aRWm9cTq4ZxY1pBn", "Sam Okafor", "Sam", "sam.okafor@example.com", True)
# A contractor who joins from the browser without signing in: no user id, no e-mail.
JORDAN = Person("", "Jordan Lee (Contractor)", "Jordan", "", False)
# A partner architect signed in to another account: a user id, but Zoom hides the e-mail.
ELENA = Person("Ep7rV0vaTq3kNz8WcLm2Jd", "Elena Petrova", "Elena", "", False)


@dataclass(frozen=True)
class Topic:
    title: str
    about: str
    details: tuple[tuple[Person, str], ...]
    conclusions: tuple[str, ...]


@dataclass(frozen=True)
class Summary:
    title: str
    overview: str
    takeaways: tuple[str, ...]
    topics: tuple[Topic, ...]
    challenges: tuple[str, ...]
    #: Who does what next: (owner, tasks), tasks phrased to follow "Kenji will ...".
    actions: tuple[tuple[Person, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Conversation:
    #: What was said, in order: (speaker, text); speaker None where Zoom could not tell who.
    lines: tuple[tuple[Person | None, str], ...] = ()
    summary: Summary | None = None
    #: The summary after the host edited it in Zoom (None if nobody did).
    edited: Summary | None = None


_LAST_WEEK = Conversation(
    lines=(
        (
            PRIYA,
            "Morning, everyone. Marcus is out sick today, so I'll cover the migration for him.",
        ),
        (PRIYA, "Quick round of updates first, then we have three decisions to make."),
        (KENJI, "The staging rehearsal of the cutover went through on Tuesday."),
        (KENJI, "Writes were read-only for three minutes and forty seconds."),
        (
            KENJI,
            "The order is simple: drain writes, promote the new primary, verify balances,"
            " reopen writes.",
        ),
        (SOFIA, "Nice. The status page banner is drafted, I only need the final time."),
        (LIN, "Partner teams keep asking when the v1 webhooks go away."),
        (LIN, "I'd like a date I can give them."),
        (JORDAN, "The last load test ran at three times normal traffic."),
        (JORDAN, "p99 latency stayed under 180 milliseconds, and there were no errors."),
        (None, "Sorry, is someone sharing? I only see a black screen."),
        (PRIYA, "That's me, one second. Can you see the checklist now?"),
        (PRIYA, "First decision: do we freeze deploys to the billing service before the cutover?"),
        (KENJI, "I'd say yes, from Thursday until we've verified the balances after the switch."),
        (SOFIA, "Fine for the frontend. We can still ship behind feature flags."),
        (PRIYA, "Agreed. Billing deploys are frozen from Thursday until the cutover is verified."),
        (PRIYA, "Second: the new on-call rotation. Weekly shifts, with the handoff on Monday."),
        (LIN, "Works for me. Can we keep a secondary on call for the first month?"),
        (PRIYA, "Yes, a secondary for the first month. The new rotation starts next Monday."),
        (PRIYA, "Third: the v1 webhooks. I propose we switch them off at the end of next month."),
        (JORDAN, "That gives integrators about seven weeks. Sounds reasonable to me."),
        (LIN, "I'll tell the partner teams today and send them the migration guide."),
        (PRIYA, "Decided: the v1 webhooks are switched off at the end of next month."),
        (PRIYA, "Action items. Kenji, can you write the cutover runbook by Friday?"),
        (KENJI, "Yes. Runbook by Friday, and I'll schedule a dry run with the on-call engineer."),
        (PRIYA, "Sofia, please publish the status page banner once the window is confirmed."),
        (SOFIA, "Will do, and I'll prepare the customer notice for the billing portal."),
        (PRIYA, "Jordan, please send the final load test report to the team channel."),
        (JORDAN, "I'll have it out by tomorrow morning."),
        (PRIYA, "And I'll brief Marcus when he's back. Thanks, everyone. See you next week."),
    ),
    summary=Summary(
        title="Billing cutover preparations, on-call rotation and v1 webhooks",
        overview=(
            "The team prepared the billing database cutover after a successful staging"
            " rehearsal and load test. They froze billing deploys until the cutover is verified,"
            " agreed on a new weekly on-call rotation starting next Monday, and decided to"
            " switch off the v1 webhooks at the end of next month. Marcus was absent."
        ),
        takeaways=(
            "The staging rehearsal of the cutover needed a read-only window of 3 minutes 40"
            " seconds.",
            "The final load test held three times normal traffic with p99 under 180 ms.",
            "Billing deploys are frozen from Thursday until the cutover is verified.",
            "A weekly on-call rotation with a Monday handoff starts next Monday.",
            "The v1 webhooks will be switched off at the end of next month.",
        ),
        topics=(
            Topic(
                "Cutover readiness",
                "Results of the staging rehearsal and the final load test",
                (
                    (KENJI, "Rehearsal passed with 3 minutes 40 seconds of read-only writes"),
                    (KENJI, "Sequence: drain writes, promote the new primary, verify balances"),
                    (JORDAN, "Load test at 3x traffic: p99 under 180 ms, no errors"),
                ),
                (
                    "Freeze billing deploys from Thursday until the cutover is verified",
                    "Frontend changes may still ship behind feature flags",
                ),
            ),
            Topic(
                "On-call rotation",
                "A new rotation for the platform team",
                ((PRIYA, "Weekly shifts with a Monday handoff"), (LIN, "Asked for a secondary")),
                ("The rotation starts next Monday, with a secondary for the first month",),
            ),
            Topic(
                "v1 webhooks deprecation",
                "Partner teams need a date for the end of the v1 webhooks",
                (
                    (LIN, "Partner teams keep asking for a date"),
                    (JORDAN, "The end of next month leaves integrators about seven weeks"),
                ),
                ("Switch off the v1 webhooks at the end of next month",),
            ),
        ),
        challenges=("Marcus, who owns the migration, was absent and needs a briefing.",),
        actions=(
            (KENJI, ("write the cutover runbook by Friday", "schedule a dry run with on-call")),
            (SOFIA, ("publish the status page banner", "prepare the billing portal notice")),
            (LIN, ("tell the partner teams about the v1 webhooks and share the guide",)),
            (JORDAN, ("send the final load test report to the team channel",)),
            (PRIYA, ("brief Marcus when he is back",)),
        ),
    ),
)

_TWO_WEEKS_AGO_SUMMARY = Summary(
    title="Connection pool fix, rollback plan and the cutover date",
    overview=(
        "Marcus's PgBouncer changes fixed the connection exhaustion, and the load test held"
        " three times normal traffic. Kenji's rollback plan was reviewed. The team set the"
        " billing cutover for the Saturday after next at 06:00 UTC."
    ),
    takeaways=(
        "PgBouncer now runs with 400 connections in transaction pooling mode.",
        "The load test held three times normal traffic with p99 at 170 ms and no errors.",
        "Rolling back to the old primary takes under two minutes.",
        "The cutover is set for the Saturday after next at 06:00 UTC.",
    ),
    topics=(
        Topic(
            "Connection pool",
            "Follow-up on last week's connection exhaustion",
            (
                (MARCUS, "Raised the pool to 400 connections, switched to transaction pooling"),
                (JORDAN, "Load test at 3x: p99 170 ms, error rate zero"),
            ),
            ("The database is ready for the cutover",),
        ),
        Topic(
            "Cutover date",
            "Choosing the window and the customer notice",
            (
                (KENJI, "Rollback to the old primary takes under two minutes"),
                (LIN, "Support needs at least three days' notice for customers"),
            ),
            ("Cutover on the Saturday after next at 06:00 UTC",),
        ),
    ),
    challenges=("Support needs enough notice to warn customers about the read-only window.",),
    actions=(
        (MARCUS, ("watch connection pool saturation over the coming days",)),
        (LIN, ("ask support to send the customer notice",)),
        (SOFIA, ("schedule the maintenance banner",)),
    ),
)

_TWO_WEEKS_AGO = Conversation(
    lines=(
        (PRIYA, "Good morning. Marcus, do you want to start with the connection pool?"),
        (MARCUS, "Sure. I raised the PgBouncer pool to 400 connections."),
        (MARCUS, "And billing now uses transaction pooling instead of session pooling."),
        (JORDAN, "I can confirm it helped. The load test held three times normal traffic."),
        (JORDAN, "p99 was 170 milliseconds, and the error rate was zero."),
        (KENJI, "I reviewed the rollback plan. We can point billing back at the old primary."),
        (KENJI, "It takes under two minutes."),
        (PRIYA, "Good. Then the question is when we do the cutover."),
        (SOFIA, "The frontend is ready. The maintenance banner only needs the time."),
        (LIN, "Support asked for at least three days' notice to customers."),
        (PRIYA, "How about the Saturday after next, at six in the morning UTC?"),
        (MARCUS, "Works for me."),
        (KENJI, "Same here. I'll be on the bridge from half past five."),
        (PRIYA, "Decided: the cutover is on the Saturday after next at 06:00 UTC."),
        (PRIYA, "Marcus, you dropped for a moment. We confirmed the Saturday after next."),
        (MARCUS, "Sorry, my VPN reconnected. The Saturday after next works."),
        (PRIYA, "Marcus, please keep an eye on pool saturation over the next days."),
        (MARCUS, "I'll add an alert at eighty percent pool usage."),
        (PRIYA, "Lin, please ask support to send the customer notice."),
        (LIN, "Will do."),
        (PRIYA, "Sofia, can you schedule the banner?"),
        (SOFIA, "Okay, the banner goes live on the Wednesday before."),
        (PRIYA, "Thanks, all."),
    ),
    summary=_TWO_WEEKS_AGO_SUMMARY,
    # The host edited the summary afterwards: she added the alert Marcus promised.
    edited=replace(
        _TWO_WEEKS_AGO_SUMMARY,
        overview=_TWO_WEEKS_AGO_SUMMARY.overview
        + " Marcus will alert on pool usage above 80 percent.",
        actions=(
            (MARCUS, ("watch connection pool saturation", "add an alert at 80% pool usage")),
            *_TWO_WEEKS_AGO_SUMMARY.actions[1:],
        ),
    ),
)

_THREE_WEEKS_AGO = Conversation(
    lines=(
        (PRIYA, "Morning. Sofia is on vacation and Lin is at the conference, so we're few today."),
        (JORDAN, "The load test finished last night."),
        (
            JORDAN,
            "At twice normal traffic, billing ran out of database connections after eleven"
            " minutes.",
        ),
        (MARCUS, "That's the PgBouncer pool. It's still at the default of 100 connections."),
        (MARCUS, "And we use session pooling, which holds a connection per client."),
        (KENJI, "Replication lag stayed under a second, so the new primary itself is fine."),
        (PRIYA, "So, are we ready to pick the cutover window?"),
        (MARCUS, "I'd rather not yet. Let me tune the pool first, and then we rerun the test."),
        (PRIYA, "Agreed. We postpone choosing the window by a week."),
        (PRIYA, "Marcus tunes PgBouncer, and Jordan reruns the load test at three times traffic."),
        (JORDAN, "I'll rerun it as soon as Marcus gives the go."),
        (KENJI, "I'll draft the rollback plan, so we can review it next week."),
        (PRIYA, "Perfect. Anything else? No? Thanks, everyone."),
    ),
    summary=Summary(
        title="Load test results and a postponed cutover window",
        overview=(
            "The load test at twice normal traffic exhausted billing's database connections"
            " after eleven minutes because PgBouncer still ran its default pool in session"
            " mode. The team postponed choosing the cutover window by a week. Sofia and Lin"
            " were absent."
        ),
        takeaways=(
            "Billing ran out of database connections at twice normal traffic.",
            "Replication lag to the new primary stayed under one second.",
            "Choosing the cutover window is postponed by one week.",
        ),
        topics=(
            Topic(
                "Load test",
                "Results of the first load test against the new primary",
                (
                    (JORDAN, "Connections ran out after eleven minutes at 2x traffic"),
                    (MARCUS, "PgBouncer still uses the default pool of 100, in session mode"),
                    (KENJI, "Replication lag stayed under a second"),
                ),
                ("Tune the pool and rerun the load test before choosing the window",),
            ),
        ),
        challenges=("The connection pool cannot handle twice the normal traffic yet.",),
        actions=(
            (MARCUS, ("tune the PgBouncer pool",)),
            (JORDAN, ("rerun the load test at three times normal traffic",)),
            (KENJI, ("draft the rollback plan",)),
        ),
    ),
)

# Nobody recorded this standup; AI Companion summarised it anyway.
_FOUR_WEEKS_AGO = Conversation(
    summary=Summary(
        title="Migration plan approved",
        overview=(
            "The team approved Marcus's plan to move the billing database to a new Postgres 16"
            " primary through logical replication, with a short read-only window at cutover."
            " The window will be chosen after load tests at two and three times normal traffic."
        ),
        takeaways=(
            "The migration plan uses logical replication and a short read-only cutover.",
            "The staging replica on Postgres 16 is in sync.",
            "The flaky-test quarantine caught four tests in its first week.",
        ),
        topics=(
            Topic(
                "Migration plan",
                "Marcus presented the plan for the Postgres 16 upgrade",
                (
                    (MARCUS, "Logical replication to a new primary, then a read-only cutover"),
                    (KENJI, "The staging replica is in sync"),
                ),
                ("The plan is approved; the window follows the load tests",),
            ),
            Topic(
                "CI",
                "First week of the flaky-test quarantine",
                ((SOFIA, "Four flaky tests were quarantined and ticketed"),),
                ("Keep the quarantine job",),
            ),
        ),
        challenges=(),
        actions=(
            (JORDAN, ("run load tests at two and three times normal traffic",)),
            (MARCUS, ("review the PgBouncer configuration",)),
        ),
    ),
)

# Only live captions were saved for this one, and nobody turned the AI summary on.
_FIVE_WEEKS_AGO = Conversation(
    lines=(
        (PRIYA, "Hi, all. Let's start with CI. It was red most of last week."),
        (SOFIA, "Three tests in the checkout suite fail about one run in ten."),
        (SOFIA, "They time out on the payment mock."),
        (KENJI, "Can we quarantine a test automatically after three failures in a day?"),
        (MARCUS, "Yes, and open a ticket for its owner each time."),
        (PRIYA, "Let's do that. Sofia, can you set up the quarantine job?"),
        (SOFIA, "Sure, it will be running by Wednesday."),
        (KENJI, "I've started the staging replica on Postgres 16. It finishes syncing tomorrow."),
        (MARCUS, "Then I can try the migration scripts against it on Thursday."),
        (PRIYA, "Great. That's it for today."),
    ),
)

_SIX_WEEKS_AGO = Conversation(
    lines=(
        (PRIYA, "Welcome back. This quarter's big item is the billing database upgrade."),
        (MARCUS, "I can own the migration plan. I'll write it up this week."),
        (KENJI, "The current version goes out of support in November, so there's some room."),
        (SOFIA, "CI has been flaky again. I'd like to look at that before we start."),
        (PRIYA, "Fine. Marcus owns the plan, and Sofia looks at CI."),
        (LIN, "I'll check which partner integrations read from the billing replica."),
        (PRIYA, "Thanks. See you next week."),
    ),
)

_DEEP_DIVE = Conversation(
    summary=Summary(
        title="Billing architecture deep dive",
        overview=(
            "A two-hour review of the billing architecture with Elena Petrova from the payments"
            " partner: an event-sourced ledger, read replicas for reporting, and regional"
            " failover. The team chose to prototype the ledger first and to keep reporting on"
            " replicas."
        ),
        takeaways=(
            "An event-sourced ledger will be prototyped next quarter.",
            "Reporting queries move to read replicas.",
            "Regional failover needs a tested runbook before any rollout.",
        ),
        topics=(
            Topic(
                "Event-sourced ledger",
                "Replacing balance updates with an append-only ledger",
                (
                    (ELENA, "The partner already consumes ledger events"),
                    (MARCUS, "Balances become projections of the ledger"),
                ),
                ("Prototype the ledger next quarter",),
            ),
            Topic(
                "Reporting",
                "Moving heavy reporting queries off the primary",
                ((KENJI, "Replica lag stays under a second"),),
                ("Reporting runs on read replicas",),
            ),
            Topic(
                "Regional failover",
                "Surviving the loss of a region",
                ((SOFIA, "The frontend can show a read-only mode"),),
                ("Write and test a failover runbook before any rollout",),
            ),
        ),
        challenges=("Ledger projections must stay consistent with existing invoices.",),
        actions=(
            (MARCUS, ("build the ledger prototype",)),
            (KENJI, ("move the reporting queries to replicas",)),
            (ELENA, ("share the partner's event schema",)),
        ),
    ),
)

#: Seeded conversations by key; seed data and recordings refer to them by key.
CONVERSATIONS: dict[str, Conversation] = {
    "standup-last-week": _LAST_WEEK,
    "standup-2-weeks-ago": _TWO_WEEKS_AGO,
    "standup-3-weeks-ago": _THREE_WEEKS_AGO,
    "standup-4-weeks-ago": _FOUR_WEEKS_AGO,
    "standup-5-weeks-ago": _FIVE_WEEKS_AGO,
    "standup-6-weeks-ago": _SIX_WEEKS_AGO,
    "deep-dive": _DEEP_DIVE,
}

#: Building blocks of the long generated deep-dive transcript: who speaks, and phrases.
DEEP_DIVE_PHRASES = {
    "speakers": (PRIYA, MARCUS, KENJI, SOFIA, ELENA),
    "openers": (
        "I think",
        "From what we measured,",
        "Honestly,",
        "If I remember correctly,",
        "To be fair,",
        "One thing to keep in mind:",
        "Right, and",
        "So",
    ),
    "subjects": (
        "the ledger service",
        "the reporting replica",
        "the invoice projection",
        "the failover runbook",
        "the partner's event stream",
        "the balance cache",
        "the settlement job",
        "the read-only mode",
        "the schema registry",
        "the reconciliation report",
    ),
    "verbs": (
        "should stay behind a feature flag",
        "needs a backfill before we switch",
        "has to be idempotent",
        "can lag by a few seconds without harm",
        "must keep the invoice numbers stable",
        "would double our storage for a while",
        "needs an owner on our side",
        "could reuse the existing consumer",
    ),
    "tails": (
        "until the prototype is done.",
        "for the first region at least.",
        "or the auditors will ask.",
        "which is what the partner expects.",
        "before the end of the quarter.",
        "if we want regional failover.",
        "and that is the risky part.",
        "so let's write that down.",
    ),
}
