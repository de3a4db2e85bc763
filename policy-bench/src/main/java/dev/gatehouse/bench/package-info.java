/** JMH benchmarks of the engine on the bundled policies; run by bench/jmh.sh. */
package dev.gatehouse.bench;
