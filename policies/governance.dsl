# Gatehouse governance language: the sentences rule files (.dslr) may use.
#
# Every sentence is one line of a rule's "when" or "then" part. Keys are matched as text, in
# this file's order, and a key that is part of a longer key would rewrite the longer sentence:
# keep every sentence distinct (no sentence may contain another one) and put longer ones first.
#
# Speed: a fact's issue is matched as "this.issue == $issue.id", never "issue == $issue.id": Drools
# 10.2 does not index a join on a field called "issue" written bare (it does for "this.issue", as for
# "id" or "repository"), and an unindexed join compares every fact of a workspace on every decision.
# Both spellings mean the same; only the indexed one keeps a 500-issue board under a second.
#
# Names bound here, usable in messages and remedies as [name] or [name.field]:
#   request (gate, subject, at, actor, runtimeDefaultActivation), issue, blocker, contract,
#   part, admission, approval, rejection, why, run, path, problem, evidence, criterion, cycle, doubt.
# The request, issue and contract sentences bind "request"; the issue sentences bind "issue".
#
# Trust (policies/README.md, "The trust model"): facts dated after the request's time are gone
# before rules run; type, status, scope and decision arrive in canonical form; a value that could
# only close a gate (a rejection, a failure) is matched loosely, a value that opens one exactly.

# --- the request and the issue it asks about -----------------------------------------------
[when]the subject of the request is no known issue=$request : Request( ) not Issue( id == $request.subject )
[when]that subject is not in doubt=not Doubt( dev.gatehouse.rules.functions.Doubts.concerns( this, $request.subject ) )
[when]the issue asked about has a status other than candidate or ready=$request : Request( ) $issue : Issue( id == $request.subject, status not in ( "candidate", "ready" ) )
[when]the issue asked about has a task contract=$request : Request( ) $issue : Issue( id == $request.subject ) $contract : Contract( this.issue == $issue.id )
[when]the issue asked about needs human approval=$request : Request( ) $issue : Issue( id == $request.subject, dev.gatehouse.rules.functions.Approvals.needed( this ) )
[when]the issue asked about is known=$request : Request( ) $issue : Issue( id == $request.subject )
[when]the request comes from an actor other than cto-harness=$request : Request( actor != "cto-harness" )
[when]the request asks for runtime default activation=$request : Request( runtimeDefaultActivation == true )

# --- doubts: facts Gatehouse could not take at their word -------------------------------------
[when]a fact about the issue asked about is in conflict between workspace files=$request : Request( ) $doubt : Doubt( code != "issue-unreadable", dev.gatehouse.rules.functions.Doubts.concerns( this, $request.subject ) )
[when]the issue asked about could not be read unambiguously=$request : Request( ) $doubt : Doubt( code == "issue-unreadable", dev.gatehouse.rules.functions.Doubts.concerns( this, $request.subject ) )
[when]it is blocked by an issue in conflict between workspace files=$blocker : String( ) from $issue.blockedBy $doubt : Doubt( code != "issue-unreadable", dev.gatehouse.rules.functions.Doubts.about( this, "issue", $blocker ) )
[when]it is blocked by an issue that could not be read unambiguously=$blocker : String( ) from $issue.blockedBy $doubt : Doubt( code == "issue-unreadable", dev.gatehouse.rules.functions.Doubts.about( this, "issue", $blocker ) )
[when]the admission of the contract's repository is in conflict between workspace files=$doubt : Doubt( dev.gatehouse.rules.functions.Doubts.about( this, "admission", $contract.repository ) )

# --- blockers ---------------------------------------------------------------------------------
[when]it is blocked by an issue that is not known=$blocker : String( ) from $issue.blockedBy not Issue( id == $blocker )
[when]that blocker is not in doubt=not Doubt( dev.gatehouse.rules.functions.Doubts.about( this, "issue", $blocker ) )
[when]it is blocked by a known issue that is not validated=$blocker : Issue( id memberOf $issue.blockedBy, status != "validated" )
[when]it is blocked by itself, directly or through other blockers=$issues : Issues( ) from collect( Issue( ) ) $cycle : String( ) from $issues.cycleFrom( $issue.id )

# --- acceptance criteria ----------------------------------------------------------------------
[when]an acceptance criterion of it is not checked=$criterion : Criterion( done == false ) from $issue.criteria

# --- task contract and admission of its repository --------------------------------------------
[when]there is no task contract for it=not Contract( this.issue == $issue.id )
[when]a required part of the task contract is empty=$part : String( this != "" ) from dev.gatehouse.rules.functions.Contracts.emptyParts( $contract )
[when]there is no admission for the contract's repository=not Admission( repository == $contract.repository )
[when]the admission of the contract's repository is not in doubt=not Doubt( dev.gatehouse.rules.functions.Doubts.about( this, "admission", $contract.repository ) )
[when]the admission of the contract's repository expires at or before the time of the request=$admission : Admission( repository == $contract.repository, expiresAt <= $request.at )
[when]the admission of the contract's repository has no expiry=$admission : Admission( repository == $contract.repository, expiresAt == null )
[when]the admission of the contract's repository has a status other than admitted=$admission : Admission( repository == $contract.repository, status != "admitted" )
[when]the admission of the contract's repository references secrets=$admission : Admission( repository == $contract.repository, referencesSecrets == true )

# --- approvals --------------------------------------------------------------------------------
# An approval counts when its decision is approved, its scope is right, and its approver is JP or
# Hermes exactly (after trimming). The near-miss sentences bind each approval of the issue that does
# not count, and "why" it does not, e.g. "approval A-3 is by 'jp', not JP or Hermes".
[when]neither JP nor Hermes approved its execution at or before the time of the request=not Approval( this.issue == $issue.id, scope == "execute", decision == "approved", approver in ( "JP", "Hermes" ), recordedAt <= $request.at )
[when]neither JP nor Hermes approved its execution at or before the first mutation of that run=not Approval( this.issue == $issue.id, scope == "execute", decision == "approved", approver in ( "JP", "Hermes" ), dev.gatehouse.rules.functions.Times.atOrBefore( recordedAt, $run.firstMutationAt ) )
[when]neither JP nor Hermes approved it for validation or execution=not Approval( this.issue == $issue.id, scope in ( "validate", "execute" ), decision == "approved", approver in ( "JP", "Hermes" ) )
[when]an approval of it does not count as JP's or Hermes' approval of its execution at or before the time of the request=$approval : Approval( this.issue == $issue.id ) $why : String( ) from dev.gatehouse.rules.functions.Approvals.whyNot( $approval, java.util.List.of( "execute" ), java.util.List.of( "JP", "Hermes" ), $request.at )
[when]an approval of it does not count as JP's or Hermes' approval of its execution at or before the first mutation of that run=$approval : Approval( this.issue == $issue.id ) $why : String( ) from dev.gatehouse.rules.functions.Approvals.whyNot( $approval, java.util.List.of( "execute" ), java.util.List.of( "JP", "Hermes" ), $run )
[when]an approval of it does not count as JP's or Hermes' approval of it for validation or execution=$approval : Approval( this.issue == $issue.id ) $why : String( ) from dev.gatehouse.rules.functions.Approvals.whyNot( $approval, java.util.List.of( "validate", "execute" ), java.util.List.of( "JP", "Hermes" ) )
[when]a rejection of its execution is not followed by a later approval of its execution by JP or Hermes=$rejection : Approval( this.issue == $issue.id, scope == "execute", decision == "rejected" ) not Approval( this.issue == $issue.id, scope == "execute", decision == "approved", approver in ( "JP", "Hermes" ), dev.gatehouse.rules.functions.Times.after( recordedAt, $rejection.recordedAt ) )
[when]an approval of its execution by JP or Hermes names a task contract it no longer has=$approval : Approval( this.issue == $issue.id, scope == "execute", decision == "approved", approver in ( "JP", "Hermes" ), contractDigest != null ) not Contract( this.issue == $issue.id, dev.gatehouse.rules.functions.Contracts.digest( this ) == $approval.contractDigest )
[when]no later approval of its execution by JP or Hermes follows that approval=not Approval( this.issue == $issue.id, scope == "execute", decision == "approved", approver in ( "JP", "Hermes" ), dev.gatehouse.rules.functions.Times.after( recordedAt, $approval.recordedAt ) )

# --- runs and the paths they touched ----------------------------------------------------------
# "Its harness run": the runs of the issue via cto-harness. Evidence "since its harness run" is
# recorded at or after the first mutation of every one of them (and there is one).
[when]there is no run of it via cto-harness=not Run( this.issue == $issue.id, via == "cto-harness" )
[when]a run of it did not go through cto-harness=$run : Run( this.issue == $issue.id, via != "cto-harness" )
[when]a run of it has runtime default activation on=$run : Run( this.issue == $issue.id, runtimeDefaultActivation == true )
[when]a run of it touched an invalid path=$run : Run( this.issue == $issue.id ) $problem : String( ) from dev.gatehouse.rules.functions.Paths.invalid( $run.touchedPaths )
[when]a run of it touched a path=$run : Run( this.issue == $issue.id ) $path : String( ) from dev.gatehouse.rules.functions.Paths.normalised( $run.touchedPaths )
[when]there is a run of it=$run : Run( this.issue == $issue.id )
[when]it has been run=exists Run( this.issue == $issue.id )
[when]no task contract of it allows that path=not Contract( this.issue == $issue.id, dev.gatehouse.rules.functions.Globs.matchesAny( allowedPaths, $path ) )
[when]a task contract of it forbids that path=exists Contract( this.issue == $issue.id, dev.gatehouse.rules.functions.Globs.matchesAny( forbiddenPaths, $path ) )

# --- evidence ---------------------------------------------------------------------------------
[when]no passing evidence of kind {kind} of it was recorded since its harness run=not ( $counted : Evidence( this.issue == $issue.id, kind == "{kind}", passed == true ) and exists Run( this.issue == $issue.id, via == "cto-harness" ) and not Run( this.issue == $issue.id, via == "cto-harness", !dev.gatehouse.rules.functions.Times.atOrBefore( firstMutationAt, $counted.recordedAt ) ) )
[when]no evidence of kind {kind} of it was recorded since its harness run=not ( $counted : Evidence( this.issue == $issue.id, kind == "{kind}" ) and exists Run( this.issue == $issue.id, via == "cto-harness" ) and not Run( this.issue == $issue.id, via == "cto-harness", !dev.gatehouse.rules.functions.Times.atOrBefore( firstMutationAt, $counted.recordedAt ) ) )
[when]no passing health check before merge of it was recorded since its harness run=not ( $counted : Evidence( this.issue == $issue.id, kind == "health-check", phase == "before-merge", passed == true ) and exists Run( this.issue == $issue.id, via == "cto-harness" ) and not Run( this.issue == $issue.id, via == "cto-harness", !dev.gatehouse.rules.functions.Times.atOrBefore( firstMutationAt, $counted.recordedAt ) ) )
[when]a failing health check before merge of it is as new as or newer than every passing one=$failed : Evidence( this.issue == $issue.id, dev.gatehouse.rules.functions.Words.same( kind, "health-check" ), dev.gatehouse.rules.functions.Words.same( phase, "before-merge" ), passed == false ) not Evidence( this.issue == $issue.id, kind == "health-check", phase == "before-merge", passed == true, !dev.gatehouse.rules.functions.Times.atOrBefore( recordedAt, $failed.recordedAt ) )
[when]no passing operator acceptance of it was recorded after its harness run and that run's evidence=not ( $accepted : Evidence( this.issue == $issue.id, kind == "operator-acceptance", passed == true ) and exists Run( this.issue == $issue.id, via == "cto-harness" ) and not Run( this.issue == $issue.id, via == "cto-harness", !dev.gatehouse.rules.functions.Times.atOrBefore( firstMutationAt, $accepted.recordedAt ) ) and not Evidence( this.issue == $issue.id, kind in ( "harness-artifact", "validator-run", "replay-path" ), !dev.gatehouse.rules.functions.Times.atOrBefore( recordedAt, $accepted.recordedAt ) ) )
[when]no passing health check after merge of it was recorded after its passing health check before merge=not ( $before : Evidence( this.issue == $issue.id, kind == "health-check", phase == "before-merge", passed == true ) and not Run( this.issue == $issue.id, !dev.gatehouse.rules.functions.Times.atOrBefore( firstMutationAt, $before.recordedAt ) ) and $after : Evidence( this.issue == $issue.id, kind == "health-check", phase == "after-merge", passed == true, dev.gatehouse.rules.functions.Times.after( recordedAt, $before.recordedAt ) ) and not Evidence( this.issue == $issue.id, kind == "health-check", phase == "before-merge", !dev.gatehouse.rules.functions.Times.after( $after.recordedAt, recordedAt ) ) )
[when]there is no passing evidence of kind {kind} for it=not Evidence( this.issue == $issue.id, kind == "{kind}", passed == true )
[when]a harness artifact or validator run of it did not pass=$evidence : Evidence( this.issue == $issue.id, dev.gatehouse.rules.functions.Words.same( kind, "harness-artifact" ) || dev.gatehouse.rules.functions.Words.same( kind, "validator-run" ), passed == false )
[when]an operator rejection of it is as new as or newer than every passing operator acceptance of it=$rejection : Evidence( this.issue == $issue.id, dev.gatehouse.rules.functions.Words.same( kind, "operator-rejection" ) ) not Evidence( this.issue == $issue.id, kind == "operator-acceptance", passed == true, dev.gatehouse.rules.functions.Times.after( recordedAt, $rejection.recordedAt ) )

# --- what a rule does -------------------------------------------------------------------------
[then]deny "{message}"=deny(kcontext, "{message}");
[then]warn "{message}"=warn(kcontext, "{message}");
