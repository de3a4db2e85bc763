/** JMH benchmarks of the engine on the bundled policies (bench/jmh.sh), and the bare HTTP baseline of bench/http-bench.sh. */
package dev.gatehouse.bench;
