package dev.gatehouse.rules.drools;

import dev.gatehouse.model.Fact;
import dev.gatehouse.rules.StandingFacts;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.drools.core.common.InternalAgenda;
import org.drools.core.common.InternalWorkingMemory;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.runtime.KieSessionConfiguration;
import org.kie.api.runtime.conf.ThreadSafeOption;
import org.kie.api.runtime.KieSession;
import org.kie.api.runtime.rule.FactHandle;

/**
 * The sessions of one policy set that hold one {@link StandingFacts} instance resident, by gate and
 * as-of slot, idle between decisions.
 *
 * <p>Invariant: an idle session of slot {@code s} holds exactly the standing facts visible in
 * {@code s}, inserted in sorted order and never touched since, and the request and own facts of
 * the last decision made on it (if any), no other fact, no listener, and an empty agenda. A decision
 * borrows it, takes the last decision's facts out and puts its own in ({@link Lease#ask}), fires,
 * and gives it back only after {@link #clean} found it so again; a session that failed, timed out or
 * is not clean is disposed of, never returned. Since every rule of a resident gate starts from the
 * request, nothing of the last decision matches once its request is out, so the firing sees what a
 * session that held the standing facts alone would see. A decision that took longer than
 * {@link #SETTLE_AFTER_NANOS} to make is taken out before its session goes back: the matches it
 * built are what taking it out costs, and what an idle session holding it would keep in memory.
 *
 * <p>Bounded, because a resident session holds a handle and the right-input tuples of every standing
 * fact (about 0.3–0.5 KB per fact and session: 10–16 MB for a workspace of 5,000 issues, see
 * BENCHMARKS.md): per gate, the idle sessions of at most {@value #MAX_SLOTS} slots (the least
 * recently used slot's are disposed of), and per slot at most {@link #MAX_IDLE}, two per core, as
 * many as the server's workers decide at once. Most decisions are at a time after every standing
 * fact's date, the last slot; a replay at an earlier time uses another. A decision that finds no
 * idle session builds one, which costs what a decision on a fresh session costs.
 */
final class ResidentSessions {

  static final int MAX_SLOTS = 2;
  // About thirty times a resident decision on the bundled policies, so only decisions whose own
  // facts built many matches pay for taking them out at once.
  static final long SETTLE_AFTER_NANOS = 1_000_000;
  static final int MAX_IDLE = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());

  /** A session lent to one decision, and what it must hold when given back. */
  static final class Lease {
    private final String gate;
    private final int slot;
    private final KieSession session;
    private final long residentFacts;
    // The last decision's request and own facts, left in until the next decision takes them out.
    private FactHandle request;
    private FactHandle[] own = new FactHandle[0];

    private Lease(String gate, int slot, KieSession session, long residentFacts) {
      this.gate = gate;
      this.slot = slot;
      this.session = session;
      this.residentFacts = residentFacts;
    }

    KieSession session() {
      return session;
    }

    /**
     * Takes the last decision's request and facts out and puts {@code question} and {@code facts}
     * in, all in one batch for the next firing. Why not right after the last decision: deleting the
     * request is a pass over every rule's network, and a separate pass then costs as much again as
     * its share of this one (a third of a decision). Why not update the request in place, which
     * would cost less still: matches that hold for both requests would fire before new ones, where
     * a fresh session fires them in its own order (see ResidentDecisionsTest).
     */
    void ask(Object question, List<? extends Object> facts) {
      takeOut();
      own = new FactHandle[facts.size()];
      request = session.insert(question);
      for (int i = 0; i < own.length; i++) {
        own[i] = session.insert(facts.get(i));
      }
    }

    /**
     * Deletes the last decision's request and facts; they leave the network when the session fires
     * next. A decision that built many matches has them taken out at once ({@link #settle}), on its
     * own time, so that neither the next decision's deadline nor an idle session's memory pays for it.
     */
    private void takeOut() {
      if (request != null) {
        session.delete(request);
        request = null;
      }
      for (FactHandle handle : own) {
        session.delete(handle);
      }
      own = new FactHandle[0];
    }

    /** Takes the last decision out now; whether nothing fired on it, as nothing may. */
    boolean settle() {
      takeOut();
      return session.fireAllRules(1) == 0;
    }

    /** How many facts the session holds beside its standing ones. */
    long asked() {
      return request == null ? 0 : 1 + own.length;
    }
  }

  /** A session for a slot could not be built as the invariant requires; the cause says why. */
  static final class NotBuilt extends Exception {
    NotBuilt(String message, Throwable cause) {
      super(message, cause, false, false);
    }
  }

  private final StandingFacts standing;
  // Per gate: slot -> idle sessions, in access order (least recently used slot first).
  private final Map<String, LinkedHashMap<Integer, ArrayDeque<Lease>>> idle = new HashMap<>();
  private boolean closed;
  private final AtomicInteger built = new AtomicInteger();

  ResidentSessions(StandingFacts standing) {
    this.standing = standing;
  }

  StandingFacts standing() {
    return standing;
  }

  /**
   * An idle session of {@code gate} for {@code slot}, or a new one built from {@code base} with the
   * standing facts of the slot inserted.
   *
   * @throws NotBuilt if a rule fired on the standing facts alone (the gate is not eligible after
   *     all) or inserting them threw; the caller decides on a fresh session instead
   */
  Lease take(String gate, KieBase base, int slot) throws NotBuilt {
    synchronized (this) {
      if (!closed) {
        ArrayDeque<Lease> sessions = slots(gate).get(slot);
        Lease lease = sessions == null ? null : sessions.pollFirst();
        if (lease != null) {
          return lease;
        }
      }
    }
    return build(gate, base, slot);
  }

  private Lease build(String gate, KieBase base, int slot) throws NotBuilt {
    built.incrementAndGet();
    KieSession session = base.newKieSession(singleThreaded(), null);
    try {
      List<Fact> facts = standing.visible(slot);
      for (Fact fact : facts) {
        session.insert(fact);
      }
      // Nothing may match standing facts alone; firing now also settles their propagation, so
      // the first decision on this session pays only for its own facts, as every later one does.
      int fired = session.fireAllRules(1);
      if (fired != 0 || !clean(session, facts.size())) {
        throw new NotBuilt("a rule of gate '" + gate + "' matched the standing facts alone", null);
      }
      return new Lease(gate, slot, session, facts.size());
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      dispose(session);
      throw new NotBuilt("inserting the standing facts of gate '" + gate + "' failed", e);
    } catch (NotBuilt e) {
      dispose(session);
      throw e;
    }
  }

  /**
   * A session lent to one decision at a time, always used by the thread deciding (the lease passes
   * under this object's lock; only Firings halts it, from that thread): Drools' thread-safe
   * propagation list and agenda state machine only cost it, on every insert, delete and fire.
   */
  private static KieSessionConfiguration singleThreaded() {
    KieSessionConfiguration conf = KieServices.get().newKieSessionConfiguration();
    conf.setOption(ThreadSafeOption.NO);
    return conf;
  }

  /**
   * Whether {@code session} holds {@code facts} facts and nothing waits on its agenda: no rule
   * with a match, no pending propagation, the focus on the main group.
   */
  static boolean clean(KieSession session, long facts) {
    if (session.getFactCount() != facts) {
      return false;
    }
    InternalAgenda agenda = ((InternalWorkingMemory) session).getAgenda();
    return !agenda.hasPendingPropagations()
        && agenda.getAgendaGroupsManager().agendaSize() == 0
        && "MAIN".equals(agenda.getFocusName());
  }

  /**
   * Whether the lent session holds its standing facts and the last decision's request and facts,
   * nothing else, and nothing waits on its agenda.
   */
  boolean clean(Lease lease) {
    return clean(lease.session, lease.residentFacts + lease.asked());
  }

  /** Takes back a session found {@link #clean}; keeps it idle unless the bounds say otherwise. */
  void giveBack(Lease lease) {
    List<Lease> evicted = new ArrayList<>();
    synchronized (this) {
      if (!closed) {
        LinkedHashMap<Integer, ArrayDeque<Lease>> slots = slots(lease.gate);
        ArrayDeque<Lease> sessions = slots.computeIfAbsent(lease.slot, s -> new ArrayDeque<>());
        if (sessions.size() < MAX_IDLE) {
          sessions.addFirst(lease);
          lease = null;
        }
        while (slots.size() > MAX_SLOTS) {
          Iterator<Map.Entry<Integer, ArrayDeque<Lease>>> eldest = slots.entrySet().iterator();
          evicted.addAll(eldest.next().getValue());
          eldest.remove();
        }
      }
    }
    if (lease != null) {
      evicted.add(lease);
    }
    evicted.forEach(this::discard);
  }

  /** Disposes of a session that must not be used again. */
  void discard(Lease lease) {
    dispose(lease.session);
  }

  /** Disposes of every idle session; sessions lent out are disposed of when they come back. */
  void close() {
    List<Lease> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      idle.values().forEach(slots -> slots.values().forEach(all::addAll));
      idle.clear();
    }
    all.forEach(this::discard);
  }

  /** How many sessions were built, for tests. */
  int built() {
    return built.get();
  }

  /** An idle session, for tests. */
  synchronized java.util.Optional<KieSession> anyIdle() {
    return idle.values().stream().flatMap(slots -> slots.values().stream()).flatMap(ArrayDeque::stream)
        .map(lease -> lease.session).findFirst();
  }

  /** How many sessions are idle, for tests. */
  synchronized int idleSessions() {
    int count = 0;
    for (LinkedHashMap<Integer, ArrayDeque<Lease>> slots : idle.values()) {
      for (ArrayDeque<Lease> sessions : slots.values()) {
        count += sessions.size();
      }
    }
    return count;
  }

  private LinkedHashMap<Integer, ArrayDeque<Lease>> slots(String gate) {
    return idle.computeIfAbsent(gate, g -> new LinkedHashMap<>(8, 0.75f, true));
  }

  private static void dispose(KieSession session) {
    try {
      // Disposing also takes the session off its KieBase's list of sessions.
      session.dispose();
    } catch (RuntimeException e) {
      // A session that cannot even be disposed of is dropped all the same.
    }
  }
}
