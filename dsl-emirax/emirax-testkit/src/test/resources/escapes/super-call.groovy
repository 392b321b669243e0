// expect: super calls are not available
def helper() { super.toString() }

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
