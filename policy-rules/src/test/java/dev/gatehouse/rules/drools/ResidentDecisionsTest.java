package dev.gatehouse.rules.drools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.model.Decision;
import dev.gatehouse.model.DecisionRequest;
import dev.gatehouse.model.Evidence;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Issue;
import dev.gatehouse.model.Outcome;
import dev.gatehouse.model.Run;
import dev.gatehouse.rules.AsOf;
import dev.gatehouse.rules.CompileResult;
import dev.gatehouse.rules.EvaluationLimits;
import dev.gatehouse.rules.PolicyFiles;
import dev.gatehouse.rules.StandingFacts;
import dev.gatehouse.rules.testing.PolicyTestCase;
import dev.gatehouse.rules.testing.PolicyTestLoader;
import dev.gatehouse.rules.workspace.Workspace;
import dev.gatehouse.rules.workspace.WorkspaceLoader;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decisions on resident sessions (standing facts kept between decisions) are the decisions of a
 * fresh session with the same facts in the same order: outcome, reasons, checks, trace, sources and
 * ignored facts, compared whole. Each test runs long sequences on one policy set, so that every
 * decision after the first of a gate and slot runs on a session that earlier decisions used.
 */
class ResidentDecisionsTest {

  static DroolsPolicySet bundled;
  static Workspace demo;
  static List<PolicyTestCase> cases;

  @BeforeAll
  static void load() throws Exception {
    Path policies = Path.of(System.getProperty("gatehouse.policies", "../policies"));
    bundled = compile(policies, ROOMY);
    demo = WorkspaceLoader.load(Path.of(System.getProperty("gatehouse.root", ".."), "examples", "workspace"));
    cases = new PolicyTestLoader().load(policies.resolve("tests"));
  }

  static DroolsPolicySet compile(Path dir, EvaluationLimits limits) throws Exception {
    // A loaded machine can take longer than the default bound to compile.
    CompileResult result = new DroolsPolicyCompiler(limits, Duration.ofMinutes(5)).compile(PolicyFiles.read(dir));
    assertThat(result.errors()).as("%s compiles", dir).isEmpty();
    return (DroolsPolicySet) result.policySet().orElseThrow();
  }

  static DroolsPolicySet testSet(String name, EvaluationLimits limits) throws Exception {
    try {
      return compile(Path.of(ResidentDecisionsTest.class.getResource("/policies/" + name).toURI()), limits);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The decision without what differs between any two evaluations: its id and duration. */
  // Far above what a decision takes, so that a loaded machine cannot make one side time out.
  static final EvaluationLimits ROOMY = new EvaluationLimits(10_000, Duration.ofSeconds(120));

  static Decision comparable(Decision d) {
    return new Decision("-", d.gate(), d.subject(), d.at(), d.outcome(), d.reasons(), d.checks(), d.trace(),
        d.sources(), d.ignored(), d.policy(), d.workspace(), 0);
  }

  /**
   * Decides on a resident session, on a fresh one, and on a fresh one with every fact in the request
   * (as every decision was made before standing facts); asserts all three are the same, returns it.
   */
  static Decision both(DroolsPolicySet set, DecisionRequest request, StandingFacts standing) {
    Decision resident = set.evaluate(request, standing);
    Decision fresh = set.evaluateFresh(request, standing);
    Decision merged = set.evaluate(request.withFacts(standing.facts().plus(request.facts())));
    String what = String.format("gate %s, subject %s, at %s, actor %s, own facts %s, standing %s", request.gate(),
        request.subject(), request.at(), request.actor(), request.facts().sorted().stream().map(Fact::ref).toList(),
        standing);
    assertThat(comparable(resident)).as("resident and fresh: %s", what).isEqualTo(comparable(fresh));
    assertThat(comparable(resident)).as("resident and merged: %s", what).isEqualTo(comparable(merged));
    return resident;
  }

  /** The distinct dates of {@code facts}, each with a second before and after, plus far before and after. */
  static List<Instant> timesAround(Facts facts, Instant at) {
    TreeSet<Instant> times = new TreeSet<>();
    if (at != null) {
      times.add(at);
    }
    for (Fact fact : facts.sorted()) {
      Instant date = AsOf.dated(fact);
      if (date != null) {
        times.add(date);
        times.add(date.minusSeconds(1));
        times.add(date.plusSeconds(1));
      }
    }
    times.add(Instant.parse("2020-01-01T00:00:00Z"));
    times.add(Instant.parse("2030-01-01T00:00:00Z"));
    // Alternate between early and late times, so that consecutive decisions change slot.
    List<Instant> sorted = new ArrayList<>(times);
    List<Instant> alternating = new ArrayList<>();
    for (int i = 0, j = sorted.size() - 1; i <= j; i++, j--) {
      alternating.add(sorted.get(i));
      if (i != j) {
        alternating.add(sorted.get(j));
      }
    }
    return alternating;
  }

  static Facts only(Facts facts, Predicate<Fact> keep) {
    return Facts.of(facts.sorted().stream().filter(keep).toList());
  }

  static final Set<FactKind> SUPPLIED = EnumSet.of(FactKind.RUNS, FactKind.EVIDENCE);

  @Test
  void everyPolicyTestCaseDecidesAsOnAFreshSessionWhateverTheSplitAndTime() {
    assertThat(cases).hasSizeGreaterThanOrEqualTo(40);
    List<String> gates = new ArrayList<>(bundled.gates());
    gates.add("no-such-gate");
    int decisions = 0;
    for (PolicyTestCase testCase : cases) {
      DecisionRequest request = testCase.request();
      Facts all = request.facts();
      // Which facts stand and which the request brings: all standing; runs and evidence brought (as a
      // harness token supplies them); and only issues standing.
      List<Predicate<Fact>> standingSplits = List.of(
          f -> true,
          f -> !SUPPLIED.contains(FactKind.of(f)),
          f -> f instanceof Issue);
      for (Predicate<Fact> standingSplit : standingSplits) {
        StandingFacts standing = StandingFacts.of(testCase.displayName(), only(all, standingSplit));
        Facts own = only(all, standingSplit.negate());
        List<Instant> times = timesAround(all, request.at());
        for (int round = 0; round < 2; round++) {
          for (Instant at : times) {
            for (String gate : gates) {
              // Every other decision brings no facts of its own: what one brought must not stay.
              Facts brought = (decisions % 2 == 0) ? own : Facts.EMPTY;
              DecisionRequest asked = new DecisionRequest(gate, request.subject(), at, request.actor(),
                  request.runtimeDefaultActivation(), brought);
              both(bundled, asked, standing);
              decisions++;
            }
          }
        }
      }
    }
    assertThat(decisions).isGreaterThan(10_000);
  }

  @Test
  void theBundledGatesKeepFactsResident() {
    for (String gate : bundled.gates()) {
      assertThat(bundled.resident(gate)).as("gate %s is resident", gate).isTrue();
    }
  }

  @Test
  void everyDemoIssueAndGateDecidesAsOnAFreshSessionAtEveryTime() {
    StandingFacts standing = demo.standing();
    List<String> subjects = new ArrayList<>(demo.facts().issues().stream().map(Issue::id).toList());
    subjects.add("DEMO-999");
    List<Instant> times = timesAround(demo.facts(), Instant.parse("2026-06-02T10:00:00Z"));
    DroolsPolicySet set = freshBundled();
    int decisions = 0;
    for (int round = 0; round < 2; round++) {
      for (Instant at : times) {
        for (String subject : subjects) {
          for (String gate : set.gates()) {
            for (String actor : List.of("cto-harness", "someone")) {
              DecisionRequest asked = new DecisionRequest(gate, subject, at, actor, decisions % 7 == 0, Facts.EMPTY);
              both(set, asked, standing);
              decisions++;
            }
          }
        }
      }
    }
    ResidentSessions sessions = set.residentSessions().orElseThrow();
    // One session per gate and slot in use, reused by every later decision there (the LRU keeps four
    // slots per gate, so slots that come back after others were used are built again).
    assertThat(sessions.built()).isLessThan(decisions / 10);
  }

  @Test
  void requestFactsThatSortBeforeTheWorkspacesGoInAfterThemAndNeverStay() {
    DroolsPolicySet set = freshBundled();
    StandingFacts standing = demo.standing();
    Instant at = Instant.parse("2026-06-02T10:00:00Z");
    for (String subject : List.of("DEMO-101", "DEMO-104", "DEMO-105")) {
      // Refs that sort before and after the workspace's runs and evidence of the same issue.
      Facts own = Facts.of(List.of(
          new Run("A-0", subject, "cto-harness", false, Instant.parse("2026-06-01T08:00:00Z"),
              List.of("src/main/java/demo/A.java", ".github/x.yml"), Fact.REQUEST_SOURCE),
          new Run("Z-9", subject, "elsewhere", true, Instant.parse("2026-06-01T08:30:00Z"),
              List.of("../escape"), Fact.REQUEST_SOURCE),
          new Evidence("A-0-artifact", subject, "harness-artifact", "runs/A-0/evidence.json", false, "after-run",
              Instant.parse("2026-06-01T08:10:00Z"), Fact.REQUEST_SOURCE),
          new Evidence("Z-9-validator", subject, "validator-run", "runs/Z-9/verify.log", true, "after-run",
              Instant.parse("2026-06-03T08:10:00Z"), Fact.REQUEST_SOURCE)));
      for (int i = 0; i < 6; i++) {
        for (String gate : set.gates()) {
          Decision with = both(set, new DecisionRequest(gate, subject, at, "cto-harness", false, own), standing);
          Decision without = both(set, new DecisionRequest(gate, subject, at, "cto-harness", false, Facts.EMPTY), standing);
          // What the first brought is gone in the second: it equals a decision on the workspace alone.
          assertThat(comparable(without)).isEqualTo(comparable(
              set.evaluate(new DecisionRequest(gate, subject, at, "cto-harness", false, demo.facts()))));
          assertThat(with.ignored()).extracting(ig -> ig.ref()).containsExactly("evidence:Z-9-validator");
        }
      }
    }
  }

  @Test
  void aFactDatedAfterTheDecisionsTimeNeverOpensTheGateAlternatingTimesOnOneSession() {
    DroolsPolicySet set = freshBundled();
    StandingFacts standing = demo.standing();
    // A-104 (JP's execute approval of DEMO-104) was recorded at 12:00 on 2026-06-01.
    Instant before = Instant.parse("2026-06-01T11:59:59Z");
    Instant after = Instant.parse("2026-06-02T10:00:00Z");
    for (int i = 0; i < 20; i++) {
      Decision early = both(set, new DecisionRequest("execute", "DEMO-104", before, "cto-harness", false, Facts.EMPTY),
          standing);
      Decision late = both(set, new DecisionRequest("execute", "DEMO-104", after, "cto-harness", false, Facts.EMPTY),
          standing);
      assertThat(early.denyCodes()).contains("approval-missing");
      assertThat(early.ignored()).extracting(ig -> ig.ref()).contains("approval:A-104");
      assertThat(late.denyCodes()).doesNotContain("approval-missing");
      assertThat(late.ignored()).isEmpty();
    }
  }

  @Test
  void aRuleThatCanMatchStandingFactsAloneMakesItsGateDecideOnFreshSessions() throws Exception {
    DroolsPolicySet set = testSet("resident-unrooted", ROOMY);
    assertThat(set.resident("execute")).isFalse();
    assertThat(set.resident("merge")).isTrue();
    StandingFacts standing = StandingFacts.of("blocked", Facts.of(List.of(
        new Issue("X-1", "blocked one", "AFK", "blocked", List.of(), List.of(), null, null, Fact.REQUEST_SOURCE))));
    for (int i = 0; i < 10; i++) {
      Decision d = both(set, new DecisionRequest("execute", "X-1", Instant.parse("2026-06-02T10:00:00Z"),
          "cto-harness", false, Facts.EMPTY), standing);
      // Every decision, not only a session's first, sees the blocked issue and the missing approval.
      assertThat(d.denyCodes()).containsExactly("standing-only", "not-first");
      both(set, new DecisionRequest("merge", "X-2", Instant.parse("2026-06-02T10:00:00Z"),
          "cto-harness", false, Facts.EMPTY), standing);
    }
  }

  @Test
  void rulesWithAgendaStateDecideOnFreshSessions() throws Exception {
    DroolsPolicySet set = testSet("resident-agenda", ROOMY);
    assertThat(set.resident("execute")).isFalse();
    for (int i = 0; i < 10; i++) {
      for (String subject : List.of("DEMO-101", "DEMO-104", "DEMO-105", "DEMO-103")) {
        Decision d = both(set, new DecisionRequest("execute", subject, Instant.parse("2026-06-02T10:00:00Z"),
            "cto-harness", false, Facts.EMPTY), demo.standing());
        assertThat(d.trace()).isNotEmpty();
      }
    }
  }

  @Test
  void salienceDynamicSalienceJoinsNotsCollectsAndEnabledFireInTheSameOrder() throws Exception {
    DroolsPolicySet set = testSet("resident-order", ROOMY);
    assertThat(set.resident("execute")).isTrue();
    List<Instant> times = timesAround(demo.facts(), Instant.parse("2026-06-02T10:00:00Z"));
    Facts own = Facts.of(List.of(
        new Run("A-0", "DEMO-105", "cto-harness", false, Instant.parse("2026-06-01T08:00:00Z"), List.of("a"),
            Fact.REQUEST_SOURCE),
        new Evidence("A-1", "DEMO-105", "harness-artifact", "x", false, "after-run",
            Instant.parse("2026-06-01T08:10:00Z"), Fact.REQUEST_SOURCE)));
    int multiple = 0;
    for (int round = 0; round < 3; round++) {
      for (Instant at : times) {
        for (String subject : List.of("DEMO-101", "DEMO-103", "DEMO-104", "DEMO-105")) {
          for (String actor : List.of("cto-harness", "other")) {
            Decision d = both(set, new DecisionRequest("execute", subject, at, actor, false,
                round == 1 ? own : Facts.EMPTY), demo.standing());
            if (d.trace().size() > 3) {
              multiple++;
            }
          }
        }
      }
    }
    assertThat(multiple).as("decisions where several rules fire several times").isGreaterThan(50);
  }

  /**
   * A session keeps the last decision's request until the next one: the next decision's matches
   * must still come in a fresh session's order, also where some of the last decision's matches would
   * hold again (an admission still current at both times, an issue other than both subjects) and
   * others are new, in an order that is not the facts' order, or values of a list that depends on
   * the request, some the same as the last request's.
   */
  @Test
  void matchesThatHoldAgainForTheNextRequestFireInAFreshSessionsOrder() throws Exception {
    DroolsPolicySet set = testSet("resident-order", ROOMY);
    Instant reviewed = Instant.parse("2026-01-01T00:00:00Z");
    List<Fact> facts = new ArrayList<>();
    // Sorted by ref one, three, two; expiring one, three, two a month apart.
    facts.add(new dev.gatehouse.model.Admission("a/one", "admitted", reviewed, Instant.parse("2026-07-01T00:00:00Z"),
        false, "test"));
    facts.add(new dev.gatehouse.model.Admission("a/two", "admitted", reviewed, Instant.parse("2026-09-01T00:00:00Z"),
        false, "test"));
    facts.add(new dev.gatehouse.model.Admission("a/three", "admitted", reviewed, Instant.parse("2026-08-01T00:00:00Z"),
        false, "test"));
    for (String id : List.of("X-1", "X-2", "X-3", "X-4")) {
      facts.add(issue(id));
    }
    StandingFacts standing = StandingFacts.of("expiring", Facts.of(facts));
    List<Instant> times = List.of(Instant.parse("2026-08-15T00:00:00Z"), Instant.parse("2026-06-15T00:00:00Z"),
        Instant.parse("2026-07-15T00:00:00Z"), Instant.parse("2026-10-01T00:00:00Z"));
    int current = 0;
    for (int round = 0; round < 3; round++) {
      for (Instant at : times) {
        for (String subject : List.of("X-3", "X-1", "X-4", "X-2")) {
          Decision d = both(set, new DecisionRequest("execute", subject, at, subject.equals("X-1") ? "cto-harness" : "a",
              false, Facts.EMPTY), standing);
          current += (int) d.reasons().stream().filter(r -> r.code().equals("current")).count();
        }
      }
    }
    assertThat(current).as("admissions found current").isEqualTo(3 * 4 * (1 + 3 + 2));
  }

  /**
   * A decision that took long to make (here: 20,000 runs of its own to insert) is taken out of
   * its session before the session goes back, so that neither the next decision's deadline nor the
   * idle session's memory pays for it; a quick one stays until the next decision takes it out.
   */
  @Test
  void aLongDecisionIsTakenOutAtOnceAndAQuickOneByTheNextDecision() throws Exception {
    DroolsPolicySet set = testSet("resident-order", ROOMY);
    StandingFacts standing = demo.standing();
    Instant at = Instant.parse("2026-06-02T10:00:00Z");
    List<Fact> runs = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      // Of an issue that is not the subject: inserting them takes long, firing stays within the bound.
      runs.add(new Run("H-" + i, "ELSEWHERE", "cto-harness", false, Instant.parse("2026-06-01T08:00:00Z"),
          List.of("a"), Fact.REQUEST_SOURCE));
    }
    DecisionRequest heavy = new DecisionRequest("execute", "DEMO-105", at, "cto-harness", false, Facts.of(runs));
    DecisionRequest light = new DecisionRequest("execute", "DEMO-105", at, "cto-harness", false, Facts.EMPTY);
    for (int round = 0; round < 3; round++) {
      // A quick decision stays; a cold JVM or a busy machine can make one slow, so some of many.
      int stayed = 0;
      for (int i = 0; i < 50; i++) {
        both(set, light, standing);
        long held = set.residentSessions().orElseThrow().anyIdle().orElseThrow().getFactCount();
        assertThat(held).isIn((long) demo.facts().size(), demo.facts().size() + 1L);
        stayed += held == demo.facts().size() + 1 ? 1 : 0;
      }
      assertThat(stayed).as("quick decisions left in until the next").isPositive();
      both(set, heavy, standing);
      assertThat(set.residentSessions().orElseThrow().anyIdle().orElseThrow().getFactCount())
          .as("after a long decision: standing facts only").isEqualTo(demo.facts().size());
    }
  }

  @Test
  void aDecisionThatFailsLeavesNoSessionBehindAndTheNextIsCorrect() throws Exception {
    DroolsPolicySet set = testSet("resident-throws", ROOMY);
    assertThat(set.resident("execute")).isTrue();
    StandingFacts standing = StandingFacts.of("boom", Facts.of(List.of(
        issue("BOOM"), issue("BANG"), issue("FINE-1"), issue("X"))));
    Instant at = Instant.parse("2026-06-02T10:00:00Z");
    for (int i = 0; i < 10; i++) {
      for (String subject : List.of("BOOM", "FINE-1", "BANG", "X")) {
        int idleBefore = set.residentSessions().map(ResidentSessions::idleSessions).orElse(0);
        String actor = subject.equals("BANG") ? "a".repeat(1_100) : "cto-harness";
        Decision d = both(set, new DecisionRequest("execute", subject, at, actor, false, Facts.EMPTY), standing);
        int idleAfter = set.residentSessions().orElseThrow().idleSessions();
        if (subject.startsWith("B")) {
          assertThat(d.denyCodes()).as(subject).containsExactly("evaluation-error");
          // The failed decision's session was disposed of, not given back.
          assertThat(idleAfter).as("idle sessions after %s", subject).isEqualTo(Math.max(0, idleBefore - 1));
        } else {
          assertThat(d.denyCodes()).as(subject).doesNotContain("evaluation-error");
          assertThat(idleAfter).as("idle sessions after %s", subject).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void theFiringBoundAndTheDeadlineStillStopAResidentDecision() throws Exception {
    StandingFacts standing = StandingFacts.of("one", Facts.of(List.of(issue("CTO-WORK-049"))));
    DroolsPolicySet loop = testSet("loop", new EvaluationLimits(50, Duration.ofSeconds(30)));
    DroolsPolicySet slow = testSet("slow", new EvaluationLimits(Integer.MAX_VALUE - 1, Duration.ofMillis(100)));
    for (int i = 0; i < 3; i++) {
      Decision looped = loop.evaluate(new DecisionRequest("execute", "CTO-WORK-049",
          Instant.parse("2026-06-02T10:00:00Z"), "cto-harness", false, Facts.EMPTY), standing);
      assertThat(looped.denyCodes()).containsExactly("evaluation-error");
      assertThat(looped.trace()).hasSize(51);
      assertThat(loop.residentSessions().orElseThrow().idleSessions()).isZero();
    }
    Decision slowed = slow.evaluate(new DecisionRequest("execute", "CTO-WORK-049",
        Instant.parse("2026-06-02T10:00:00Z"), "cto-harness", false, Facts.EMPTY), standing);
    assertThat(slowed.denyCodes()).containsExactly("evaluation-error");
    assertThat(slowed.reasons()).filteredOn(r -> r.code().equals("evaluation-error")).singleElement()
        .satisfies(r -> assertThat(r.message()).startsWith("evaluation stopped after 100 ms"));
    assertThat(slow.residentSessions().orElseThrow().idleSessions()).isZero();
  }

  @Test
  void anotherStandingInstanceBuildsNewSessionsAndClosesTheOld() {
    DroolsPolicySet set = freshBundled();
    StandingFacts first = demo.standing();
    StandingFacts second = StandingFacts.of("again", demo.facts());
    DecisionRequest asked = new DecisionRequest("execute", "DEMO-104", Instant.parse("2026-06-02T10:00:00Z"),
        "cto-harness", false, Facts.EMPTY);
    both(set, asked, first);
    ResidentSessions old = set.residentSessions().orElseThrow();
    assertThat(old.standing()).isSameAs(first);
    assertThat(old.idleSessions()).isEqualTo(1);
    both(set, asked, second);
    ResidentSessions now = set.residentSessions().orElseThrow();
    assertThat(now).isNotSameAs(old);
    assertThat(now.standing()).isSameAs(second);
    assertThat(old.idleSessions()).isZero();
    assertThat(now.built()).isEqualTo(1);
  }

  @Test
  void threadsDecidingAtOnceEachGetTheirOwnSessionAndTheSameDecisions() throws Exception {
    DroolsPolicySet set = freshBundled();
    StandingFacts standing = demo.standing();
    List<String> subjects = demo.facts().issues().stream().map(Issue::id).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        int offset = t;
        done.add(pool.submit(() -> {
          int n = 0;
          for (int i = 0; i < 300; i++) {
            String subject = subjects.get((i + offset) % subjects.size());
            String gate = List.copyOf(set.gates()).get((i / subjects.size() + offset) % set.gates().size());
            Instant at = i % 3 == 0 ? Instant.parse("2026-06-01T11:00:00Z") : Instant.parse("2026-06-02T10:00:00Z");
            both(set, new DecisionRequest(gate, subject, at, "cto-harness", false, Facts.EMPTY), standing);
            n++;
          }
          return n;
        }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get()).isEqualTo(300);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(set.residentSessions().orElseThrow().idleSessions())
        .isLessThanOrEqualTo(set.gates().size() * 2 * ResidentSessions.MAX_IDLE);
  }

  @Test
  void anUnknownGateDeniesWithNoPolicyWithStandingFactsToo() {
    Decision d = both(bundled, new DecisionRequest("deploy", "DEMO-101", Instant.parse("2026-06-02T10:00:00Z"),
        "cto-harness", false, Facts.EMPTY), demo.standing());
    assertThat(d.outcome()).isEqualTo(Outcome.DENY);
    assertThat(d.denyCodes()).containsExactly("no-policy");
  }

  @Test
  void aSessionIsCleanOnlyWithExactlyItsStandingFactsAndNothingPending() throws Exception {
    ResidentSessions sessions = new ResidentSessions(demo.standing());
    ResidentSessions.Lease lease = sessions.take("execute", bundled.base("execute"), demo.standing().lastSlot());
    assertThat(lease.session().getFactCount()).isEqualTo(demo.facts().size());
    assertThat(sessions.clean(lease)).isTrue();
    org.kie.api.runtime.rule.FactHandle extra = lease.session().insert(issue("EXTRA"));
    assertThat(sessions.clean(lease)).as("with a fact more").isFalse();
    lease.session().delete(extra);
    lease.session().fireAllRules();
    assertThat(sessions.clean(lease)).isTrue();
    // A request inserted and not fired: a fact more, and its propagation pending.
    org.kie.api.runtime.rule.FactHandle stray =
        lease.session().insert(new dev.gatehouse.model.Request("execute", "DEMO-101", Instant.now(), "x", false));
    assertThat(sessions.clean(lease)).isFalse();
    lease.session().delete(stray);
    lease.session().fireAllRules();
    // Asked and fired, the session holds the request and its facts until the next decision or settle().
    // DEMO-104 as the harness asks it: no rule fires, so none raises a reason outside an evaluation.
    lease.ask(new dev.gatehouse.model.Request("execute", "DEMO-104", Instant.parse("2026-06-02T10:00:00Z"),
        "cto-harness", false), List.of(issue("OWN")));
    assertThat(sessions.clean(lease)).as("asked, not fired").isFalse();
    lease.session().fireAllRules();
    assertThat(sessions.clean(lease)).as("asked and fired").isTrue();
    assertThat(lease.session().getFactCount()).isEqualTo(demo.facts().size() + 2);
    extra = lease.session().insert(issue("EXTRA"));
    assertThat(sessions.clean(lease)).as("asked, fired, with a fact more").isFalse();
    lease.session().delete(extra);
    lease.session().fireAllRules();
    assertThat(lease.settle()).isTrue();
    assertThat(sessions.clean(lease)).as("settled").isTrue();
    assertThat(lease.session().getFactCount()).isEqualTo(demo.facts().size());
    sessions.discard(lease);
    sessions.close();
    assertThat(sessions.idleSessions()).isZero();
  }

  static Issue issue(String id) {
    return new Issue(id, id, "AFK", "ready", List.of(), List.of(), null, null, "test");
  }

  /** A policy set of its own, so that a test's resident sessions are its alone. */
  static DroolsPolicySet freshBundled() {
    try {
      return compile(Path.of(System.getProperty("gatehouse.policies", "../policies")), ROOMY);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
