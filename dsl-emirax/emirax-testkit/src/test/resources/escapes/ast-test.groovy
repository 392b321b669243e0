// expect: annotations are not available
@groovy.transform.ASTTest(value={ new File('@MARKER@').text = 'x' })
def x = 1

workflow('escape') {
    rule('x') {
        match { !state.done }
        action { state.done = true }
    }
}
