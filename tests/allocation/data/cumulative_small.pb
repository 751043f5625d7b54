META
key;value
description;Hand-made cumulative round
budget;9000
vote_type;cumulative
max_sum_points;5
PROJECTS
project_id;cost;name
1;5000;Park
2;4000;Plein
3;2000;Fietsrek
VOTES
voter_id;vote;points;age
a;1,2;3,2;30
b;3;5;41
c;2,1,3;1,1,3;22
d;;;50
