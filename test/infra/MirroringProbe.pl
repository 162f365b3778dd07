#!/usr/bin/perl
# Asks the installed gitolite3 what its Mirroring trigger makes of each repo named on the
# command line, in the gitolite home $HOME: one line per repo, tab-separated:
#   repo, master, copies as host:mode (sorted), trusted copies (redirectOK, sorted), and this
# host's mode, or the FATAL that mode() dies with ("mirrored but not here").
# It calls Mirroring.pm's own subs; details() reports the mode only through its trace (D=3).
use strict; use warnings;
use lib '/usr/share/gitolite3/lib';
use Gitolite::Rc; use Gitolite::Common; use Gitolite::Conf::Load; use Gitolite::Triggers::Mirroring;
$SIG{__WARN__} = sub {};
for my $repo (@ARGV) {
  # details() first: it sets the copies that trusted_copies() reads for 'all'.
  my $trace = '';
  {
    local *STDERR; open STDERR, '>', \$trace;
    local $ENV{D} = 3;
    eval { Gitolite::Triggers::Mirroring::details($repo); 1 } or $trace .= $@;
  }
  my ($mode) = $trace =~ /^3\tdetails *\t[^\t\n]*\t([^\t\n]*)/m;
  my ($fatal) = $trace =~ /(FATAL: [^\n]*)/;
  my $m = Gitolite::Triggers::Mirroring::master($repo);
  my %c = Gitolite::Triggers::Mirroring::copies($repo);
  my %t = Gitolite::Triggers::Mirroring::trusted_copies($repo);
  print join("\t", $repo, $m, join(' ', map {"$_:$c{$_}"} sort keys %c), join(' ', sort keys %t), $mode // $fatal // '?'), "\n";
}
