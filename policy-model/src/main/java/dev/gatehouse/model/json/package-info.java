/** The JSON form of requests and decisions, and the validation that names the path of every bad input. */
package dev.gatehouse.model.json;
