// expect: annotations are not available
@groovy.transform.CompileDynamic
def m() { 'touch @MARKER@'.execute() }
m()

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
