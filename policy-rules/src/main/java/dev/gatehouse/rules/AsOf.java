package dev.gatehouse.rules;

import dev.gatehouse.model.Approval;
import dev.gatehouse.model.Evidence;
import dev.gatehouse.model.Fact;
import dev.gatehouse.model.FactKind;
import dev.gatehouse.model.Facts;
import dev.gatehouse.model.Ignored;
import dev.gatehouse.model.Spelling;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The world as of a decision's time: a fact that came to be after {@code at} (an approval or
 * evidence recorded later, an admission reviewed later, a run that first mutated later) does not
 * exist for that decision. Applied here, once, before any rule runs, for every timed kind; what is
 * set aside is listed so that a reviewer sees it. Revocations are the exception: a rejected
 * approval or an operator's rejection counts whenever it was recorded, so that a caller cannot
 * hide one by asking about an earlier time (fail closed).
 *
 * <p>{@link StandingFacts} applies the same rule, through {@link #dated} and {@link #setAside}, to
 * facts that stay in a session for many decisions.
 *
 * @param facts the facts the rules see
 * @param ignored the facts set aside, and why
 */
public record AsOf(Facts facts, List<Ignored> ignored) {

  /** {@code facts} as of {@code at}; all of them when {@code at} is null. */
  public static AsOf of(Facts facts, Instant at) {
    if (at == null || !anyAfter(facts, at)) {
      // Most decisions set nothing aside: then the facts are passed on as they came.
      return new AsOf(facts, List.of());
    }
    List<Fact> kept = new ArrayList<>(facts.size());
    List<Ignored> ignored = new ArrayList<>();
    for (Fact fact : facts.sorted()) {
      Instant time = dated(fact);
      if (time != null && time.isAfter(at)) {
        ignored.add(setAside(fact, time, at));
      } else {
        kept.add(fact);
      }
    }
    return new AsOf(Facts.of(kept), List.copyOf(ignored));
  }

  /**
   * What a decision at {@code at} sets aside of {@code standing} facts and of its own {@code facts},
   * listed as {@link #of} lists them for all those facts together (by kind and ref, a standing
   * fact before an own fact of the same ref).
   */
  public static List<Ignored> ignored(StandingFacts standing, Facts facts, Instant at) {
    List<Fact> aside = standing.setAside(at);
    if (aside.isEmpty()) {
      return of(facts, at).ignored();
    }
    // Rare (a decision before some standing fact's date): the facts set aside, with the request's.
    return of(Facts.of(aside).plus(facts), at).ignored();
  }

  /**
   * The time after which {@code fact} exists, or null when it exists at every time: a fact of an
   * untimed kind, a timed one that names no time, or a revocation.
   */
  public static Instant dated(Fact fact) {
    Instant time = FactKind.of(fact).time(fact).orElse(null);
    return time == null || revocation(fact) ? null : time;
  }

  /** Why {@code fact}, dated {@code time}, is set aside for a decision at {@code at}. */
  static Ignored setAside(Fact fact, Instant time, Instant at) {
    return new Ignored(fact.ref(), "dated " + time + ", after the decision's time " + at);
  }

  private static boolean revocation(Fact fact) {
    if (fact instanceof Approval approval) {
      return !Approval.APPROVED.equals(approval.decision());
    }
    return fact instanceof Evidence evidence && Spelling.same(evidence.kind(), "operator-rejection");
  }

  private static boolean anyAfter(Facts facts, Instant at) {
    for (FactKind kind : FactKind.values()) {
      for (Fact fact : kind.in(facts)) {
        Instant time = kind.time(fact).orElse(null);
        if (time != null && time.isAfter(at) && !revocation(fact)) {
          return true;
        }
      }
    }
    return false;
  }
}
