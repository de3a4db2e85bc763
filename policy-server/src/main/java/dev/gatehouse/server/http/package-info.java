/** The HTTP API: one handler per resource, bearer authentication, and the one mapping of failures to JSON errors. */
package dev.gatehouse.server.http;
