/** How the server is configured: the config file, the token environment variable, and their validation. */
package dev.gatehouse.server.config;
