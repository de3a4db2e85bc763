package dev.gatehouse.rules;

import dev.gatehouse.model.Fact;
import dev.gatehouse.model.Facts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Facts that stand behind many decisions — a workspace revision's — prepared once: sorted as the
 * engine inserts them, and cut by time as {@link AsOf} cuts a request's facts.
 *
 * <p>A decision at {@code at} sees a standing fact if the fact is not {@link AsOf#dated dated}, or
 * dated at or before {@code at}. So what a decision sees depends only on how many of the facts'
 * distinct dates are at or before {@code at}: its <em>slot</em>. Two decisions in the same slot see
 * exactly the same standing facts, which is what lets a policy set keep them resident in a session
 * for that slot (see {@link PolicySet#evaluate(dev.gatehouse.model.DecisionRequest, StandingFacts)}).
 *
 * <p>Immutable and safe to share; a new workspace revision makes a new instance, and a policy set
 * keeps sessions for one instance at a time (by identity), so a new revision builds new sessions.
 */
public final class StandingFacts {

  /** No standing facts: every fact comes from the request. */
  public static final StandingFacts NONE = of("none", Facts.EMPTY);

  private final String revision;
  private final Facts facts;
  private final List<Fact> sorted;
  // Invariant: the distinct dates of the sorted facts, ascending; dateIndex[i] is the index in
  // dates of sorted.get(i)'s date, or -1 when that fact exists at every time.
  private final Instant[] dates;
  private final int[] dateIndex;

  private StandingFacts(String revision, Facts facts) {
    this.revision = revision;
    this.facts = facts;
    this.sorted = List.copyOf(facts.sorted());
    TreeSet<Instant> distinct = new TreeSet<>();
    for (Fact fact : sorted) {
      Instant date = AsOf.dated(fact);
      if (date != null) {
        distinct.add(date);
      }
    }
    this.dates = distinct.toArray(Instant[]::new);
    this.dateIndex = new int[sorted.size()];
    for (int i = 0; i < sorted.size(); i++) {
      Instant date = AsOf.dated(sorted.get(i));
      dateIndex[i] = date == null ? -1 : Arrays.binarySearch(dates, date);
    }
  }

  /**
   * Standing facts named {@code revision} (for a workspace, its revision; used in messages and
   * logs only: sessions are kept by identity).
   */
  public static StandingFacts of(String revision, Facts facts) {
    return new StandingFacts(revision, facts);
  }

  /** What these facts were read from, e.g. the workspace revision. */
  public String revision() {
    return revision;
  }

  /** All the facts, whatever their dates. */
  public Facts facts() {
    return facts;
  }

  /** The number of facts, whatever their dates. */
  public int size() {
    return sorted.size();
  }

  /**
   * The slot of {@code at}: how many of the facts' distinct dates are at or before it, from 0 to
   * {@link #lastSlot()}; the last slot when {@code at} is null (a decision without a time sees every
   * fact, as {@link AsOf#of} does).
   */
  public int slot(Instant at) {
    if (at == null) {
      return dates.length;
    }
    int low = 0;
    int high = dates.length;
    // The first date after at; every date before it is at or before at.
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (dates[mid].isAfter(at)) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  /** The slot in which every fact exists: that of any time at or after the latest date. */
  public int lastSlot() {
    return dates.length;
  }

  /** The facts a decision in {@code slot} sees, sorted by kind and ref as the engine inserts them. */
  public List<Fact> visible(int slot) {
    if (slot >= dates.length) {
      return sorted;
    }
    List<Fact> kept = new ArrayList<>(sorted.size());
    for (int i = 0; i < sorted.size(); i++) {
      if (dateIndex[i] < slot) {
        kept.add(sorted.get(i));
      }
    }
    return kept;
  }

  /** The facts a decision at {@code at} does not see, sorted by kind and ref. */
  List<Fact> setAside(Instant at) {
    int slot = slot(at);
    if (slot >= dates.length) {
      return List.of();
    }
    List<Fact> aside = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      if (dateIndex[i] >= slot) {
        aside.add(sorted.get(i));
      }
    }
    return aside;
  }

  @Override
  public String toString() {
    return "standing facts " + revision + " (" + sorted.size() + " facts, " + (dates.length + 1) + " slots)";
  }
}
