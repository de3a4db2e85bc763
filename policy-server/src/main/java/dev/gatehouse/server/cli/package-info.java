/** The {@code gatehouse} command line: one picocli command class per subcommand, and the text rendering of decisions. */
package dev.gatehouse.server.cli;
