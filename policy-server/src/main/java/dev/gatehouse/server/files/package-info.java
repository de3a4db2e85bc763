/** File-system errors worded for people: what is missing, unreadable or not a directory. */
package dev.gatehouse.server.files;
