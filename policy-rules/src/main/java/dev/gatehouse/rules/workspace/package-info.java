/** Loading a workspace directory of planning markdown and YAML or JSON fact files into governance facts, with located problems. */
package dev.gatehouse.rules.workspace;
