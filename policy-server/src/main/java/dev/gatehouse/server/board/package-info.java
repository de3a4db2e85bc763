/** The governance board: every issue of the workspace against every gate, decided by the one decision path. */
package dev.gatehouse.server.board;
