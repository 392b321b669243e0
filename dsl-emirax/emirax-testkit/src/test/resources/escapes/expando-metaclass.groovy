// expect: not available
workflow('escape') {
    rule('x') {
        match { !state.done }
        action {
            def e = new ExpandoMetaClass(String)
            state.done = true
        }
    }
}
