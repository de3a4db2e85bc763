[when]a request is made=$request : Request()
