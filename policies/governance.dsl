# Gatehouse governance language: the sentences rule files (.dslr) may use.
#
# Every sentence is one line of a rule's "when" or "then" part. Keys are matched as text, in
# this file's order, and a key that is part of a longer key would rewrite the longer sentence:
# keep every sentence distinct (no sentence may contain another one) and put longer ones first.
#
# Names bound here, usable in deny messages as [name] or [name.field]:
#   request (gate, subject, at, actor, runtimeDefaultActivation), issue, blocker, contract,
#   part, admission, run, path, evidence, rejection, criterion.
# The request, issue and contract sentences bind "request"; the issue sentences bind "issue".

# --- the request and the issue it asks about -----------------------------------------------
[when]the subject of the request is no known issue=$request : Request( ) not Issue( id == $request.subject )
[when]the issue asked about has a status other than candidate or ready=$request : Request( ) $issue : Issue( id == $request.subject, status not in ( "candidate", "ready" ) )
[when]the issue asked about has a task contract=$request : Request( ) $issue : Issue( id == $request.subject ) $contract : Contract( issue == $issue.id )
[when]the issue asked about needs human approval=$request : Request( ) $issue : Issue( id == $request.subject, needsHuman() )
[when]the issue asked about is a HITL issue=$request : Request( ) $issue : Issue( id == $request.subject, type == "HITL" )
[when]the issue asked about is known=$request : Request( ) $issue : Issue( id == $request.subject )
[when]the request comes from an actor other than cto-harness=$request : Request( actor != "cto-harness" )
[when]the request asks for runtime default activation=$request : Request( runtimeDefaultActivation == true )

# --- blockers ---------------------------------------------------------------------------------
[when]it is blocked by an issue that is not known=$blocker : String( ) from $issue.blockedBy not Issue( id == $blocker )
[when]it is blocked by a known issue that is not validated=$blocker : Issue( id memberOf $issue.blockedBy, status != "validated" )

# --- acceptance criteria ----------------------------------------------------------------------
[when]an acceptance criterion of it is not checked=$criterion : Criterion( done == false ) from $issue.criteria

# --- task contract and admission of its repository --------------------------------------------
[when]there is no task contract for it=not Contract( issue == $issue.id )
[when]a required part of the task contract is empty=$part : String( this != "" ) from dev.gatehouse.rules.functions.Contracts.emptyParts( $contract )
[when]there is no admission for the contract's repository=not Admission( repository == $contract.repository )
[when]the admission of the contract's repository expires at or before the time of the request=$admission : Admission( repository == $contract.repository, expiresAt <= $request.at )
[when]the admission of the contract's repository has no expiry=$admission : Admission( repository == $contract.repository, expiresAt == null )
[when]the admission of the contract's repository has a status other than admitted=$admission : Admission( repository == $contract.repository, status != "admitted" )
[when]the admission of the contract's repository references secrets=$admission : Admission( repository == $contract.repository, referencesSecrets == true )

# --- approvals --------------------------------------------------------------------------------
[when]there is no approval of scope execute by JP or Hermes recorded at or before the time of the request=not Approval( issue == $issue.id, scope == "execute", approver in ( "JP", "Hermes" ), recordedAt <= $request.at )
[when]there is no approval of scope execute by JP or Hermes recorded at or before the first mutation of that run=not Approval( issue == $issue.id, scope == "execute", approver in ( "JP", "Hermes" ), recordedAt <= $run.firstMutationAt )
[when]there is no approval of scope validate or execute by JP or Hermes=not Approval( issue == $issue.id, scope in ( "validate", "execute" ), approver in ( "JP", "Hermes" ) )

# --- runs and the paths they touched ----------------------------------------------------------
[when]there is no run of it via cto-harness=not Run( issue == $issue.id, via == "cto-harness" )
[when]a run of it has runtime default activation on=$run : Run( issue == $issue.id, runtimeDefaultActivation == true )
[when]a run of it touched a path=$run : Run( issue == $issue.id ) $path : String( ) from $run.touchedPaths
[when]there is a run of it=$run : Run( issue == $issue.id )
[when]no task contract of it allows that path=not Contract( issue == $issue.id, dev.gatehouse.rules.functions.Globs.matchesAny( allowedPaths, $path ) )
[when]a task contract of it forbids that path=exists Contract( issue == $issue.id, dev.gatehouse.rules.functions.Globs.matchesAny( forbiddenPaths, $path ) )

# --- evidence ---------------------------------------------------------------------------------
[when]there is no passing health check before merge for it=not Evidence( issue == $issue.id, kind == "health-check", phase == "before-merge", passed == true )
[when]there is no passing evidence of kind {kind} for it=not Evidence( issue == $issue.id, kind == "{kind}", passed == true )
[when]there is no evidence of kind {kind} for it=not Evidence( issue == $issue.id, kind == "{kind}" )
[when]a harness artifact or validator run of it did not pass=$evidence : Evidence( issue == $issue.id, kind in ( "harness-artifact", "validator-run" ), passed == false )
[when]an operator rejection of it is newer than every operator acceptance of it=$rejection : Evidence( issue == $issue.id, kind == "operator-rejection" ) not Evidence( issue == $issue.id, kind == "operator-acceptance", recordedAt >= $rejection.recordedAt )

# --- what a rule does -------------------------------------------------------------------------
[then]deny "{message}"=deny(kcontext, "{message}");
