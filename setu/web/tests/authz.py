from tests.authz import EVERYONE, SIGNED_IN, Entry

ENTRIES = [
    Entry("web:home", SIGNED_IN),
    Entry("web:health", EVERYONE),
    Entry("web:favicon", EVERYONE),
    Entry("web:acting-as", SIGNED_IN),
    Entry("set_language", EVERYONE, method="post", data=lambda p: {"language": "hi"}),
]
