/*
 * The fuzz targets' shared home and node (fixture.h). Nothing here is
 * fuzzed: it only has to be there, the same for every input.
 */
#include "fixture.h"

#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/set.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static fixture_t fx;
static char dir[256];

static void rm_tree(const char *path) {
  DIR *d = opendir(path);
  for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d)) {
    char sub[512];
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
      snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
      if (unlink(sub) != 0)
        rm_tree(sub);
    }
  }
  if (d)
    closedir(d);
  rmdir(path);
}

static void at_exit(void) {
  rv_home_close(&fx.home);
  if (dir[0])
    rm_tree(dir);
}

static void must(int r, const char *what) {
  if (r < 0) {
    fprintf(stderr, "fuzz fixture: cannot %s: %s\n", what, rv_strerror(r));
    abort();
  }
}

fixture_t *fuzz_fixture(void) {
  if (fx.home)
    return &fx;
  char a[300], b[300];
  rv_home_t *hb = NULL;
  rv_buf_t inv;
  rv_set_id_t joined;
  must(rv_crypto_init(), "start libsodium");
  snprintf(dir, sizeof dir, "%s/revans-fuzz-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
  if (!mkdtemp(dir))
    abort();
  atexit(at_exit);
  snprintf(a, sizeof a, "%s/a", dir);
  snprintf(b, sizeof b, "%s/b", dir);
  must(rv_home_create(a, "Ada", "pass", 4, 1, 8192, &fx.home), "create A");
  must(rv_home_create(b, "Ben", "pass", 4, 1, 8192, &hb), "create B");
  rv_buf_init(&inv);
  must(rv_home_begin(fx.home, true), "begin");
  must(rv_set_create(fx.home, "fuzz", "a topic", &fx.set), "create the set");
  must(rv_set_invite(fx.home, &fx.set, rv_home_self(hb), RV_ROLE_MEMBER, &inv), "invite");
  must(rv_home_commit(fx.home), "commit");
  must(rv_home_begin(hb, true), "begin on B");
  must(rv_set_join(hb, inv.data, inv.len, &joined), "join");
  must(rv_home_commit(hb), "commit on B");
  fx.ben = *rv_home_self(hb);
  rv_home_close(&hb);
  rv_buf_release(&inv);

  rv_node_t *n = &fx.node;
  n->home = fx.home;
  n->ops = &rv__link_ops_unlooped;
  n->port = 7390;
  must(rv_enc_new(&n->enc), "make an encoder");
  must(rv_enc_new(&n->batch), "make an encoder");
  must(rv_dec_new(&n->dec), "make a decoder");
  must(rv_dec_new(&n->place_dec), "make a decoder");
  rv_buf_init(&n->msg.body);
  fuzz_reset_peer(&fx);
  return &fx;
}

void fuzz_reset_peer(fixture_t *f) {
  rv_node_t *n = &f->node;
  for (size_t i = 0; i < n->npeers; i++)
    rv__peer_free(n->peers[i]);
  n->npeers = 0;
  f->peer = rv__peer_add(n, &f->ben);
  if (!f->peer)
    abort();
  f->peer->greeted = true;
}
