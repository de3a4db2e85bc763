/** Which files of a directory tree a loader reads, the tree's revision, and a cheap stamp of it for watchers. */
package dev.gatehouse.rules.source;
