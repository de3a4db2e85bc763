package dev.gatehouse.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.annotations.Benchmark;

/**
 * The JMH benchmarks' methods run in one JVM, interleaved: round after round, each method for a
 * short slice, so that every method sees the same neighbours on a shared machine. Prints, per
 * method, the median over rounds of decisions per second of wall time and per second of the
 * thread's CPU time (which a busy neighbour inflates less), and the best round.
 *
 * <p>Usage: {@code java -cp ... dev.gatehouse.bench.Interleaved POLICIES WORKSPACE [ROUNDS [SLICE_MS]]}
 * (WORKSPACE as WorkspaceBenchmark's {@code workspace}); the first two rounds warm up.
 */
public final class Interleaved {

  private Interleaved() {}

  public static void main(String[] args) throws Exception {
    String policies = args[0];
    String workspace = args[1];
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 12;
    long sliceNanos = (args.length > 3 ? Long.parseLong(args[3]) : 1_000L) * 1_000_000L;
    ExecuteGateBenchmark execute = new ExecuteGateBenchmark();
    execute.policies = policies;
    execute.setUp();
    WorkspaceBenchmark inWorkspace = new WorkspaceBenchmark();
    inWorkspace.policies = policies;
    inWorkspace.workspace = workspace;
    inWorkspace.setUp();
    Map<String, Object[]> cases = new LinkedHashMap<>();
    for (Object target : List.of(execute, inWorkspace)) {
      for (Method method : target.getClass().getMethods()) {
        if (method.isAnnotationPresent(Benchmark.class)) {
          cases.put(target.getClass().getSimpleName() + "." + method.getName(), new Object[] {target, method});
        }
      }
    }
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    Object sink = null;
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<String, Object[]> c : cases.entrySet()) {
        Object target = c.getValue()[0];
        Method method = (Method) c.getValue()[1];
        long n = 0;
        long cpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + sliceNanos;
        while (System.nanoTime() < end) {
          for (int i = 0; i < 10; i++) {
            sink = method.invoke(target);
          }
          n += 10;
        }
        double wall = (System.nanoTime() - start) / 1e9;
        double onCpu = (threads.getCurrentThreadCpuTime() - cpu) / 1e9;
        if (round >= 2) {
          results.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(new double[] {n / wall, n / onCpu});
        }
      }
    }
    System.out.printf("%-40s %14s %14s %14s%n", "method", "median/s wall", "best/s wall", "median/s CPU");
    for (Map.Entry<String, List<double[]>> r : results.entrySet()) {
      List<Double> wall = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      r.getValue().forEach(v -> {
        wall.add(v[0]);
        cpu.add(v[1]);
      });
      Collections.sort(wall);
      Collections.sort(cpu);
      System.out.printf("%-40s %,14.0f %,14.0f %,14.0f%n", r.getKey(), wall.get(wall.size() / 2),
          wall.get(wall.size() - 1), cpu.get(cpu.size() / 2));
    }
    if (sink == null) {
      System.out.println();
    }
  }
}
