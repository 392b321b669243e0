// expect: annotations are not available
@groovy.transform.Field def f = 'touch @MARKER@'.execute()

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
